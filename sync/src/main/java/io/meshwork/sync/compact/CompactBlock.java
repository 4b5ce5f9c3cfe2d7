package io.meshwork.sync.compact;

import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Transaction;
import io.meshwork.sync.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A block as its header, the sender's salt, short ids for the transactions the receiver likely has
 * and the others in full (chain-gossip.md, "Messages"). The short ids fill, in order, the positions
 * not taken by a prefilled transaction.
 *
 * <p>Encoding: header, salt (u64 big-endian), short id count, 6-byte ids, prefilled count, each
 * (differential index varint as in BIP152, canonical transaction).
 */
public record CompactBlock(
    BlockHeader header, long salt, List<ShortId> shortIds, List<PrefilledTransaction> prefilled) {

  /** Smallest canonical transaction: key, address, three one-byte varints, signature. */
  private static final int MIN_TRANSACTION_BYTES =
      Transaction.PUBLIC_KEY_SIZE + 20 + 3 + Transaction.SIGNATURE_SIZE;

  public CompactBlock {
    Objects.requireNonNull(header, "header");
    shortIds = List.copyOf(shortIds);
    prefilled = List.copyOf(prefilled);
    int total = shortIds.size() + prefilled.size();
    int previous = -1;
    for (PrefilledTransaction p : prefilled) {
      if (p.index() <= previous || p.index() >= total) {
        throw new IllegalArgumentException(
            "prefilled index "
                + p.index()
                + " is out of order or out of range for "
                + total
                + " transactions");
      }
      previous = p.index();
    }
  }

  /** The number of transactions in the block. */
  public int transactionCount() {
    return shortIds.size() + prefilled.size();
  }

  public byte[] encode() {
    int size = BlockHeader.MAX_ENCODED_SIZE + 8 + 10 + ShortId.SIZE * shortIds.size();
    for (PrefilledTransaction p : prefilled) {
      size += 5 + p.transaction().encodedSize();
    }
    CanonicalWriter writer = new CanonicalWriter(size);
    writer.bytes(header.encode()).u64(salt).varint(shortIds.size());
    byte[] ids = new byte[ShortId.SIZE * shortIds.size()];
    for (int i = 0; i < shortIds.size(); i++) {
      shortIds.get(i).writeTo(ids, i * ShortId.SIZE);
    }
    writer.bytes(ids).varint(prefilled.size());
    long next = 0;
    for (PrefilledTransaction p : prefilled) {
      writer.varint(p.index() - next).bytes(p.transaction().encode());
      next = p.index() + 1L;
    }
    return writer.toByteArray();
  }

  /** Decodes strictly; the block may hold at most {@code maxTransactions} transactions. */
  public static CompactBlock decode(byte[] bytes, int maxTransactions) {
    CanonicalReader reader = new CanonicalReader(bytes);
    CompactBlock block = read(reader, maxTransactions);
    return WireFormatException.decoding(
        "compact block",
        () -> {
          reader.expectEnd("compact block");
          return block;
        });
  }

  /**
   * Reads a compact block from the reader's position, leaving the reader after it.
   *
   * @throws WireFormatException on any malformed or out-of-limit field
   */
  public static CompactBlock read(CanonicalReader reader, int maxTransactions) {
    return WireFormatException.decoding(
        "compact block",
        () -> {
          BlockHeader header = BlockHeader.read(reader);
          long salt = reader.u64("salt");
          int idCount = reader.count(maxTransactions, "short ids");
          // The count is capped, and bytes() checks the input holds them before allocating.
          byte[] raw = reader.bytes(idCount * ShortId.SIZE, "short ids");
          List<ShortId> ids = new ArrayList<>(idCount);
          for (int i = 0; i < idCount; i++) {
            ids.add(ShortId.read(raw, i * ShortId.SIZE));
          }
          int prefilledCount = reader.count(maxTransactions - idCount, "prefilled transactions");
          int total = idCount + prefilledCount;
          List<PrefilledTransaction> prefilled =
              new ArrayList<>(
                  Math.min(prefilledCount, reader.remaining() / MIN_TRANSACTION_BYTES + 1));
          long next = 0;
          for (int i = 0; i < prefilledCount; i++) {
            long delta = reader.varint("prefilled index");
            if (delta >= total - next) {
              throw new WireFormatException(
                  "compact block: prefilled index "
                      + (delta >= Integer.MAX_VALUE ? "over 2^31" : String.valueOf(next + delta))
                      + " out of range for "
                      + total
                      + " transactions");
            }
            int index = (int) (next + delta);
            prefilled.add(new PrefilledTransaction(index, Transaction.read(reader)));
            next = index + 1L;
          }
          return new CompactBlock(header, salt, ids, prefilled);
        });
  }
}
