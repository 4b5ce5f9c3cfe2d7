package io.meshwork.chain.model;

import java.util.ArrayList;
import java.util.List;

/** A header and its transactions. Immutable and thread-safe. */
public final class Block {
  private final BlockHeader header;
  private final List<Transaction> transactions;
  private final int encodedSize;

  public Block(BlockHeader header, List<Transaction> transactions) {
    this.header = header;
    this.transactions = List.copyOf(transactions);
    int size = header.encode().length + varintSize(transactions.size());
    for (Transaction tx : this.transactions) {
      size += tx.encodedSize();
    }
    this.encodedSize = size;
  }

  private static int varintSize(long value) {
    int n = 1;
    while ((value >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /**
   * Decodes a block strictly.
   *
   * @param maxTransactions the list limit; a longer count is rejected before allocation
   */
  public static Block decode(byte[] encoding, int maxTransactions) {
    CanonicalReader reader = new CanonicalReader(encoding);
    BlockHeader header = BlockHeader.read(reader);
    int count = reader.count(maxTransactions, "block transactions");
    List<Transaction> txs = new ArrayList<>(Math.min(count, reader.remaining() / 100 + 1));
    for (int i = 0; i < count; i++) {
      txs.add(Transaction.read(reader));
    }
    reader.expectEnd("block");
    return new Block(header, txs);
  }

  /** The Merkle root of the ids of {@code transactions}, in order. */
  public static Hash transactionsRoot(List<Transaction> transactions) {
    List<Hash> ids = new ArrayList<>(transactions.size());
    for (Transaction tx : transactions) {
      ids.add(tx.id());
    }
    return MerkleRoot.of(ids);
  }

  public BlockHeader header() {
    return header;
  }

  public Hash hash() {
    return header.hash();
  }

  public long height() {
    return header.height();
  }

  public Hash parent() {
    return header.parent();
  }

  /** Immutable. */
  public List<Transaction> transactions() {
    return transactions;
  }

  public int encodedSize() {
    return encodedSize;
  }

  public byte[] encode() {
    CanonicalWriter writer = new CanonicalWriter(encodedSize);
    header.writeTo(writer);
    writer.varint(transactions.size());
    for (Transaction tx : transactions) {
      tx.writeTo(writer);
    }
    return writer.toByteArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Block other
        && header.equals(other.header)
        && transactions.equals(other.transactions);
  }

  @Override
  public int hashCode() {
    return header.hashCode();
  }

  @Override
  public String toString() {
    return "Block[" + hash() + " height=" + height() + " txs=" + transactions.size() + "]";
  }
}
