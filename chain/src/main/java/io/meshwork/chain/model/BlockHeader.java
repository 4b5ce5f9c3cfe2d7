package io.meshwork.chain.model;

import java.util.Arrays;

/**
 * A block header. Immutable and thread-safe; its hash (SHA-256 of the encoding, also the proof of
 * work hash) is computed once. {@code difficultyBits} is the target in compact form (see {@code
 * io.meshwork.chain.consensus.CompactTarget}); {@code timestampMillis} is milliseconds since the
 * Unix epoch.
 */
public final class BlockHeader {
  /** Largest header encoding: 3 hashes, two 9-byte varints, bits and nonce. */
  public static final int MAX_ENCODED_SIZE = 3 * Hash.SIZE + 2 * 9 + 4 + 8;

  private final Hash parent;
  private final long height;
  private final long timestampMillis;
  private final Hash transactionsRoot;
  private final Hash stateRoot;
  private final int difficultyBits;
  private final long nonce;
  private final byte[] encoding;
  private final Hash hash;

  public BlockHeader(
      Hash parent,
      long height,
      long timestampMillis,
      Hash transactionsRoot,
      Hash stateRoot,
      int difficultyBits,
      long nonce) {
    if (height < 0 || timestampMillis < 0) {
      throw new IllegalArgumentException("height and timestamp must not be negative");
    }
    this.parent = parent;
    this.height = height;
    this.timestampMillis = timestampMillis;
    this.transactionsRoot = transactionsRoot;
    this.stateRoot = stateRoot;
    this.difficultyBits = difficultyBits;
    this.nonce = nonce;
    this.encoding =
        new CanonicalWriter(MAX_ENCODED_SIZE)
            .hash(parent)
            .varint(height)
            .varint(timestampMillis)
            .hash(transactionsRoot)
            .hash(stateRoot)
            .u32(difficultyBits)
            .u64(nonce)
            .toByteArray();
    this.hash = Hash.sha256(encoding);
  }

  public static BlockHeader decode(byte[] encoding) {
    CanonicalReader reader = new CanonicalReader(encoding);
    BlockHeader header = read(reader);
    reader.expectEnd("block header");
    return header;
  }

  public static BlockHeader read(CanonicalReader reader) {
    return new BlockHeader(
        reader.hash("header parent"),
        reader.varint("header height"),
        reader.varint("header timestamp"),
        reader.hash("header transactions root"),
        reader.hash("header state root"),
        reader.u32("header difficulty bits"),
        reader.u64("header nonce"));
  }

  public BlockHeader withNonce(long newNonce) {
    return new BlockHeader(
        parent, height, timestampMillis, transactionsRoot, stateRoot, difficultyBits, newNonce);
  }

  public Hash parent() {
    return parent;
  }

  public long height() {
    return height;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public Hash transactionsRoot() {
    return transactionsRoot;
  }

  public Hash stateRoot() {
    return stateRoot;
  }

  public int difficultyBits() {
    return difficultyBits;
  }

  public long nonce() {
    return nonce;
  }

  public Hash hash() {
    return hash;
  }

  public byte[] encode() {
    return encoding.clone();
  }

  /** The encoding without the trailing 8-byte nonce (the miner hashes this prefix once). */
  public byte[] encodeWithoutNonce() {
    return Arrays.copyOf(encoding, encoding.length - 8);
  }

  void writeTo(CanonicalWriter writer) {
    writer.bytes(encoding);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockHeader other && Arrays.equals(encoding, other.encoding);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "BlockHeader[" + hash + " height=" + height + " parent=" + parent + "]";
  }
}
