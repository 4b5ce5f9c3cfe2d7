package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.KeyFormatException;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.crypto.PublicKey;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code /pk/} namespace (kad-dht spec, "Value routing"): key {@code /pk/<peer id multihash
 * bytes>}, value the peer's marshalled public key, valid only if that key hashes to that peer id.
 * All valid values for one key are the same key, so {@link #select} takes the first.
 *
 * <p>RSA keys are not supported by our crypto and are rejected as invalid. Stateless.
 */
public final class PublicKeyValidator implements RecordValidator {
  public static final String NAMESPACE = "pk";
  private static final int PREFIX_LENGTH = 4; // "/pk/"

  /** The record key for {@code peer}'s public key. */
  public static byte[] keyFor(PeerId peer) {
    byte[] id = peer.toBytes();
    byte[] key = new byte[PREFIX_LENGTH + id.length];
    key[0] = '/';
    key[1] = 'p';
    key[2] = 'k';
    key[3] = '/';
    System.arraycopy(id, 0, key, PREFIX_LENGTH, id.length);
    return key;
  }

  @Override
  public void validate(byte[] key, byte[] value) {
    if (key.length <= PREFIX_LENGTH
        || key[0] != '/'
        || key[1] != 'p'
        || key[2] != 'k'
        || key[3] != '/') {
      throw new InvalidRecordException("public key record key must start with /pk/");
    }
    PeerId peer;
    try {
      peer = PeerId.fromBytes(Arrays.copyOfRange(key, PREFIX_LENGTH, key.length));
    } catch (PeerIdFormatException e) {
      throw new InvalidRecordException("public key record key does not name a peer id", e);
    }
    PublicKey publicKey;
    try {
      publicKey = PublicKey.unmarshal(value);
    } catch (KeyFormatException e) {
      throw new InvalidRecordException("public key record value is not a public key", e);
    }
    if (!peer.matches(publicKey)) {
      throw new InvalidRecordException("public key does not match peer id " + peer);
    }
  }

  @Override
  public int select(byte[] key, List<byte[]> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("nothing to select from");
    }
    return 0;
  }
}
