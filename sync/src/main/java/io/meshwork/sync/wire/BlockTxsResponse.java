package io.meshwork.sync.wire;

import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import java.util.List;
import java.util.Objects;

/**
 * The transactions of a {@link BlockTxsRequest}, in request order, with the block hash echoed
 * (chain-reqresp.md, "Messages").
 */
public record BlockTxsResponse(Hash blockHash, List<Transaction> transactions) {
  public BlockTxsResponse {
    Objects.requireNonNull(blockHash, "blockHash");
    transactions = List.copyOf(transactions);
  }

  public byte[] encode() {
    CanonicalWriter writer =
        new CanonicalWriter(Hash.SIZE + TransactionBatch.encodedSizeHint(transactions));
    writer.hash(blockHash);
    TransactionBatch.writeTransactions(writer, transactions);
    return writer.toByteArray();
  }

  public static BlockTxsResponse decode(byte[] bytes, int maxTransactions) {
    return WireFormatException.decoding(
        "block-txs response",
        () -> {
          CanonicalReader reader = new CanonicalReader(bytes);
          Hash hash = reader.hash("block hash");
          List<Transaction> txs =
              TransactionBatch.readTransactions(reader, maxTransactions, "transactions");
          reader.expectEnd("block-txs response");
          return new BlockTxsResponse(hash, txs);
        });
  }
}
