package io.meshwork.networking.multiformats;

import java.util.Arrays;

/**
 * A content identifier (CID spec): {@code varint(version) ‖ varint(codec) ‖ multihash}, or for
 * version 0 a bare base58btc sha2-256 multihash ("Qm…"). libp2p uses CIDv1 with codec {@link
 * #LIBP2P_KEY} as the newer text form of peer ids. Immutable.
 */
public final class Cid {
  /** Multicodec of a libp2p public key (peer id spec). */
  public static final long LIBP2P_KEY = 0x72;

  /** Multicodec dag-pb, the implicit codec of CIDv0. */
  public static final long DAG_PB = 0x70;

  private final int version;
  private final long codec;
  private final Multihash multihash;

  private Cid(int version, long codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
  }

  /** A CIDv1. */
  public static Cid v1(long codec, Multihash multihash) {
    if (codec < 0) {
      throw new IllegalArgumentException("negative codec");
    }
    return new Cid(1, codec, multihash);
  }

  /**
   * Decodes CID text: CIDv0 (46 characters starting "Qm") or multibase-encoded CIDv1.
   *
   * @throws IllegalArgumentException if the text is not a valid CID
   */
  public static Cid decode(String text) {
    if (text.length() == 46 && text.startsWith("Qm")) {
      Multihash hash = Multihash.decode(Base58.decode(text));
      if (hash.code() != Multihash.SHA2_256) {
        throw new IllegalArgumentException("CIDv0 must be a sha2-256 multihash");
      }
      return new Cid(0, DAG_PB, hash);
    }
    return fromBytes(Multibase.decode(text));
  }

  /** Decodes the binary form of a CIDv1. */
  public static Cid fromBytes(byte[] bytes) {
    Varint.Decoded version = Varint.decode(bytes, 0);
    if (version.value() != 1) {
      throw new IllegalArgumentException("unsupported CID version " + version.value());
    }
    Varint.Decoded codec = Varint.decode(bytes, version.length());
    int start = version.length() + codec.length();
    return new Cid(
        1, codec.value(), Multihash.decode(Arrays.copyOfRange(bytes, start, bytes.length)));
  }

  public int version() {
    return version;
  }

  public long codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  /** The binary form (CIDv1: version, codec, multihash; CIDv0: the multihash). */
  public byte[] toBytes() {
    byte[] hash = multihash.toBytes();
    if (version == 0) {
      return hash;
    }
    byte[] v = Varint.encode(version);
    byte[] c = Varint.encode(codec);
    byte[] out = new byte[v.length + c.length + hash.length];
    System.arraycopy(v, 0, out, 0, v.length);
    System.arraycopy(c, 0, out, v.length, c.length);
    System.arraycopy(hash, 0, out, v.length + c.length, hash.length);
    return out;
  }

  /** Canonical text: base58btc for CIDv0, base32 ('b') for CIDv1. */
  @Override
  public String toString() {
    return version == 0 ? Base58.encode(multihash.toBytes()) : Multibase.encode('b', toBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid other
        && version == other.version
        && codec == other.codec
        && multihash.equals(other.multihash);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * version + Long.hashCode(codec)) + multihash.hashCode();
  }
}
