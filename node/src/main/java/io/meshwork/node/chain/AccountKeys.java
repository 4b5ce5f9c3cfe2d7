package io.meshwork.node.chain;

import io.meshwork.chain.model.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * Account key files ({@code meshwork dev-accounts --out}, {@code meshwork tx send --key}, {@code
 * meshwork node --miner-key}): the 32-byte Ed25519 seed as 64 hex digits on one line. Not the
 * libp2p identity format of {@code meshwork keygen}: an account key signs transactions, an identity
 * key a node's connections.
 */
public final class AccountKeys {
  private AccountKeys() {}

  /**
   * @throws IllegalArgumentException with the file and the reason
   */
  public static SigningKey read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage(), e);
    }
    if (text.length() != 64) {
      throw new IllegalArgumentException(
          "key file " + file + " must hold 64 hex digits (an Ed25519 seed)");
    }
    try {
      return SigningKey.fromSeed(HexFormat.of().parseHex(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "key file " + file + " must hold 64 hex digits (an Ed25519 seed)", e);
    }
  }

  /** Writes {@code key} readable by its owner only (where the file system has permissions). */
  public static void write(Path file, SigningKey key) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, HexFormat.of().formatHex(key.seed()) + "\n", StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the default permissions stand.
    }
  }
}
