package io.meshwork.networking.multiformats;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A multihash: {@code varint(code) ‖ varint(digest length) ‖ digest} (multihash spec). Immutable;
 * equality is over the encoded bytes. Only the hash functions libp2p peer ids use are computed here
 * ({@link #IDENTITY} and {@link #SHA2_256}); any code is accepted when decoding.
 */
public final class Multihash {
  public static final int IDENTITY = 0x00;
  public static final int SHA2_256 = 0x12;

  private final int code;
  private final byte[] digest;
  private final byte[] bytes;

  private Multihash(int code, byte[] digest) {
    this.code = code;
    this.digest = digest;
    byte[] codeBytes = Varint.encode(code);
    byte[] lengthBytes = Varint.encode(digest.length);
    this.bytes = new byte[codeBytes.length + lengthBytes.length + digest.length];
    System.arraycopy(codeBytes, 0, bytes, 0, codeBytes.length);
    System.arraycopy(lengthBytes, 0, bytes, codeBytes.length, lengthBytes.length);
    System.arraycopy(digest, 0, bytes, codeBytes.length + lengthBytes.length, digest.length);
  }

  /** A multihash of the given code over an already computed digest. */
  public static Multihash of(int code, byte[] digest) {
    if (code < 0) {
      throw new IllegalArgumentException("negative multihash code " + code);
    }
    if (code == SHA2_256 && digest.length > 32) {
      throw new IllegalArgumentException("sha2-256 digest longer than 32 bytes: " + digest.length);
    }
    return new Multihash(code, digest.clone());
  }

  /**
   * Decodes a multihash that fills {@code bytes} exactly.
   *
   * @throws IllegalArgumentException if it is truncated, has trailing bytes, or an impossible
   *     length
   */
  public static Multihash decode(byte[] bytes) {
    Varint.Decoded code = Varint.decode(bytes, 0);
    Varint.Decoded length = Varint.decode(bytes, code.length());
    int start = code.length() + length.length();
    if (length.value() != bytes.length - start) {
      throw new IllegalArgumentException(
          "multihash digest length "
              + length.value()
              + " does not match the "
              + (bytes.length - start)
              + " bytes present");
    }
    if (code.value() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("multihash code too large: " + code.value());
    }
    return of((int) code.value(), Arrays.copyOfRange(bytes, start, bytes.length));
  }

  /** The sha2-256 multihash of {@code data}. */
  public static Multihash sha256Of(byte[] data) {
    try {
      return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** The identity multihash of {@code data}: {@code data} itself, not hashed. */
  public static Multihash identity(byte[] data) {
    return new Multihash(IDENTITY, data.clone());
  }

  public int code() {
    return code;
  }

  public byte[] digest() {
    return digest.clone();
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Multihash[0x"
        + Integer.toHexString(code)
        + ", "
        + HexFormat.of().formatHex(digest)
        + "]";
  }
}
