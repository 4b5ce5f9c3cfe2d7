package io.meshwork.networking.crypto;

import io.meshwork.networking.multiformats.Base58;
import io.meshwork.networking.multiformats.Cid;
import io.meshwork.networking.multiformats.Multibase;
import io.meshwork.networking.multiformats.Multihash;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of a marshalled public key (peer-ids spec, "Peer Ids"). Keys
 * whose protobuf is at most 42 bytes (Ed25519, secp256k1) are inlined with the identity multihash,
 * so the key can be read back from the id; larger keys are hashed with sha2-256.
 *
 * <p>Immutable and thread-safe; {@code equals}, {@code hashCode} and {@code compareTo} (unsigned
 * lexicographic) are over the multihash bytes.
 */
public final class PeerId implements Comparable<PeerId> {
  /** Largest marshalled key inlined with the identity multihash (peer-ids spec). */
  static final int MAX_INLINE_KEY_LENGTH = 42;

  private static final int MAX_TEXT_LENGTH = 128;

  private final byte[] multihash;

  private PeerId(byte[] multihash) {
    this.multihash = multihash;
  }

  /** The peer id of {@code key}: identity multihash if its protobuf is ≤ 42 bytes, else sha256. */
  public static PeerId fromPublicKey(PublicKey key) {
    byte[] marshalled = key.marshal();
    Multihash hash =
        marshalled.length <= MAX_INLINE_KEY_LENGTH
            ? Multihash.identity(marshalled)
            : Multihash.sha256Of(marshalled);
    return new PeerId(hash.toBytes());
  }

  /**
   * A peer id from its multihash bytes.
   *
   * @throws PeerIdFormatException unless they are an identity multihash of at most 42 bytes or a
   *     32-byte sha2-256 multihash
   */
  public static PeerId fromBytes(byte[] multihash) {
    Multihash hash;
    try {
      hash = Multihash.decode(multihash);
    } catch (IllegalArgumentException e) {
      throw new PeerIdFormatException("peer id is not a multihash: " + e.getMessage(), e);
    }
    int digestLength = multihash.length - 2; // both codes and lengths here fit in one varint byte
    boolean inline = hash.code() == Multihash.IDENTITY && digestLength <= MAX_INLINE_KEY_LENGTH;
    boolean hashed = hash.code() == Multihash.SHA2_256 && digestLength == 32;
    if (!inline && !hashed) {
      throw new PeerIdFormatException(
          "peer id must be an identity multihash of at most 42 bytes or a sha2-256 multihash");
    }
    return new PeerId(multihash.clone());
  }

  /**
   * Parses peer id text (peer-ids spec, "Decoding"): a base58btc multihash ("12D3KooW…", "16Uiu2…",
   * "Qm…", i.e. starting with '1' or "Qm") or a multibase CIDv1 with codec libp2p-key ("bafz…").
   *
   * @throws PeerIdFormatException if the text is neither
   */
  public static PeerId parse(String text) {
    // Real ids are ≤ 62 characters; the bound keeps base58 decoding (quadratic) cheap.
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new PeerIdFormatException("peer id text longer than " + MAX_TEXT_LENGTH);
    }
    try {
      if (text.startsWith("1") || text.startsWith("Qm")) {
        return fromBytes(Base58.decode(text));
      }
      Cid cid = Cid.fromBytes(Multibase.decode(text));
      if (cid.codec() != Cid.LIBP2P_KEY) {
        throw new PeerIdFormatException(
            "peer id CID must have codec libp2p-key (0x72), not 0x"
                + Long.toHexString(cid.codec()));
      }
      return fromBytes(cid.multihash().toBytes());
    } catch (PeerIdFormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new PeerIdFormatException("invalid peer id '" + text + "': " + e.getMessage(), e);
    }
  }

  /** The multihash bytes. */
  public byte[] toBytes() {
    return multihash.clone();
  }

  /** The canonical text form: base58btc of the multihash. */
  public String toBase58() {
    return Base58.encode(multihash);
  }

  /** The CIDv1 text form (libp2p-key codec, base32), e.g. "bafz…". */
  public String toCidString() {
    return Cid.v1(Cid.LIBP2P_KEY, Multihash.decode(multihash)).toString();
  }

  /**
   * The public key inlined in an identity-multihash peer id; empty for hashed ids or when the
   * inlined bytes are not a supported key.
   */
  public Optional<PublicKey> extractPublicKey() {
    if (multihash[0] != Multihash.IDENTITY) {
      return Optional.empty();
    }
    try {
      return Optional.of(PublicKey.unmarshal(Arrays.copyOfRange(multihash, 2, multihash.length)));
    } catch (KeyFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether this is the peer id of {@code key}. */
  public boolean matches(PublicKey key) {
    return equals(fromPublicKey(key));
  }

  @Override
  public int compareTo(PeerId other) {
    return Arrays.compareUnsigned(multihash, other.multihash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(multihash, other.multihash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(multihash);
  }

  @Override
  public String toString() {
    return toBase58();
  }
}
