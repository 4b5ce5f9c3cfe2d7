package io.meshwork.sync.wire;

import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks the peer that announced a compact block for the transactions at {@code indexes} (strictly
 * increasing), differentially encoded as in BIP152 (chain-reqresp.md, "Messages").
 */
public record BlockTxsRequest(Hash blockHash, List<Integer> indexes) {
  /** Spec default for {@code maxIndexes} ({@code maxTransactionsPerBlock}). */
  public static final int MAX_INDEXES = 5000;

  public BlockTxsRequest {
    Objects.requireNonNull(blockHash, "blockHash");
    indexes = List.copyOf(indexes);
    if (indexes.isEmpty()) {
      throw new IllegalArgumentException("a block-txs request asks for at least one index");
    }
    long previous = -1;
    for (int index : indexes) {
      if (index <= previous) {
        throw new IllegalArgumentException(
            "indexes must be non-negative and strictly increasing: "
                + index
                + " after "
                + previous);
      }
      previous = index;
    }
  }

  public byte[] encode() {
    CanonicalWriter writer = new CanonicalWriter(Hash.SIZE + 5 * indexes.size() + 5);
    writer.hash(blockHash).varint(indexes.size());
    long next = 0;
    for (int index : indexes) {
      writer.varint(index - next);
      next = index + 1L;
    }
    return writer.toByteArray();
  }

  public static BlockTxsRequest decode(byte[] bytes, int maxIndexes) {
    return WireFormatException.decoding(
        "block-txs request",
        () -> {
          CanonicalReader reader = new CanonicalReader(bytes);
          Hash hash = reader.hash("block hash");
          int count = reader.count(maxIndexes, "indexes");
          if (count == 0) {
            throw new WireFormatException("block-txs request: no indexes");
          }
          // Each index takes at least one byte, so the list is bounded by the input too.
          List<Integer> indexes = new ArrayList<>(Math.min(count, reader.remaining()));
          long next = 0;
          for (int i = 0; i < count; i++) {
            long delta = reader.varint("index delta");
            if (delta > Integer.MAX_VALUE - next) {
              throw new WireFormatException("block-txs request: index above 2^31-1");
            }
            long index = next + delta;
            indexes.add((int) index);
            next = index + 1;
          }
          reader.expectEnd("block-txs request");
          return new BlockTxsRequest(hash, indexes);
        });
  }
}
