package io.meshwork.node.cli;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshwork keygen --type ed25519|secp256k1 --out FILE}. */
@Command(name = "keygen", description = "Writes a new identity key and prints its peer id.")
final class KeygenCommand implements Callable<Integer> {
  enum Type {
    ed25519,
    secp256k1
  }

  @Option(names = "--type", required = true, description = "ed25519 or secp256k1")
  Type type;

  @Option(names = "--out", required = true, description = "file to write the key to")
  Path out;

  @Option(names = "--force", description = "overwrite an existing file")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out) && !force) {
      throw new IllegalArgumentException(out + " exists; use --force to overwrite it");
    }
    PrivateKey key =
        PrivateKey.generate(type == Type.ed25519 ? KeyType.ED25519 : KeyType.SECP256K1);
    Identities.write(out, key);
    System.out.println("peer-id " + PeerId.fromPublicKey(key.publicKey()));
    return 0;
  }
}
