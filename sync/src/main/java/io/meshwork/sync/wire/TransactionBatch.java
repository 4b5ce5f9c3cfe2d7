package io.meshwork.sync.wire;

import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The message of the tx topic: one or more canonical transactions (chain-gossip.md, "Messages").
 */
public record TransactionBatch(List<Transaction> transactions) {
  /** Spec default for {@code maxTransactions}. */
  public static final int MAX_TRANSACTIONS = 256;

  /** Smallest canonical transaction: key, address, three one-byte varints, signature. */
  static final int MIN_TRANSACTION_BYTES =
      Transaction.PUBLIC_KEY_SIZE + 20 + 3 + Transaction.SIGNATURE_SIZE;

  public TransactionBatch {
    transactions = List.copyOf(transactions);
    if (transactions.isEmpty()) {
      throw new IllegalArgumentException("a transaction batch holds at least one transaction");
    }
  }

  public byte[] encode() {
    CanonicalWriter writer = new CanonicalWriter(encodedSizeHint(transactions));
    writeTransactions(writer, transactions);
    return writer.toByteArray();
  }

  public static TransactionBatch decode(byte[] bytes, int maxTransactions) {
    return WireFormatException.decoding(
        "transaction batch",
        () -> {
          CanonicalReader reader = new CanonicalReader(bytes);
          List<Transaction> txs = readTransactions(reader, maxTransactions, "batch transactions");
          if (txs.isEmpty()) {
            throw new WireFormatException("transaction batch: empty");
          }
          reader.expectEnd("transaction batch");
          return new TransactionBatch(txs);
        });
  }

  static int encodedSizeHint(List<Transaction> transactions) {
    int size = 10;
    for (Transaction tx : transactions) {
      size += tx.encodedSize();
    }
    return size;
  }

  static void writeTransactions(CanonicalWriter writer, List<Transaction> transactions) {
    writer.varint(transactions.size());
    for (Transaction tx : transactions) {
      writer.bytes(tx.encode());
    }
  }

  /** A count (capped before allocation) followed by that many canonical transactions. */
  static List<Transaction> readTransactions(CanonicalReader reader, int max, String field) {
    int count = reader.count(max, field);
    List<Transaction> txs =
        new ArrayList<>(Math.min(count, reader.remaining() / MIN_TRANSACTION_BYTES + 1));
    for (int i = 0; i < count; i++) {
      txs.add(Transaction.read(reader));
    }
    return txs;
  }
}
