package io.meshwork.node.cli;

import io.meshwork.networking.crypto.PrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Identity files: the libp2p {@code PrivateKey} protobuf, as go-libp2p and js-libp2p write them.
 */
final class Identities {
  private Identities() {}

  static PrivateKey read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read identity file " + file + ": " + e.getMessage(), e);
    }
    try {
      return PrivateKey.unmarshal(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "identity file " + file + " is not a libp2p private key: " + e.getMessage(), e);
    }
  }

  static void write(Path file, PrivateKey key) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, key.marshal());
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the default permissions stand.
    }
  }
}
