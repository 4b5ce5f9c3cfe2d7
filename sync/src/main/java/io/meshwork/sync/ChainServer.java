package io.meshwork.sync;

import io.meshwork.chain.Chain;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.reqresp.Response;
import io.meshwork.networking.reqresp.ResponseCode;
import io.meshwork.sync.wire.BlockTxsRequest;
import io.meshwork.sync.wire.BlockTxsResponse;
import io.meshwork.sync.wire.BlocksByHashRequest;
import io.meshwork.sync.wire.BlocksByHashResponse;
import io.meshwork.sync.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Answers block-txs and blocks-by-hash from the chain (chain-reqresp.md). Called on the
 * request/response framework's handler threads; reads the chain only.
 */
final class ChainServer {
  private final Chain chain;
  private final SyncProtocols protocols;
  private final Function<Hash, Optional<Block>> relayed;

  /**
   * @param relayed blocks relayed but perhaps not imported yet (a peer that got one from us asks
   *     for its transactions at once)
   */
  ChainServer(Chain chain, SyncProtocols protocols, Function<Hash, Optional<Block>> relayed) {
    this.chain = chain;
    this.protocols = protocols;
    this.relayed = relayed;
  }

  private Optional<Block> block(Hash hash) {
    Optional<Block> block = relayed.apply(hash);
    return block.isPresent() ? block : chain.block(hash);
  }

  CompletableFuture<Response> blockTxs(PeerId peer, byte[] request) {
    BlockTxsRequest req;
    try {
      req = BlockTxsRequest.decode(request, protocols.maxTransactionsPerBlock());
    } catch (WireFormatException e) {
      return done(Response.error(ResponseCode.INVALID_REQUEST, e.getMessage()));
    }
    Optional<Block> block = block(req.blockHash());
    if (block.isEmpty()) {
      return done(
          Response.error(ResponseCode.RESOURCE_UNAVAILABLE, "unknown block " + req.blockHash()));
    }
    List<Transaction> txs = block.get().transactions();
    List<Transaction> answer = new ArrayList<>(req.indexes().size());
    for (int index : req.indexes()) {
      if (index >= txs.size()) {
        return done(
            Response.error(
                ResponseCode.INVALID_REQUEST,
                "index " + index + " out of range: block has " + txs.size() + " transactions"));
      }
      answer.add(txs.get(index));
    }
    return done(Response.ok(new BlockTxsResponse(req.blockHash(), answer).encode()));
  }

  CompletableFuture<Response> blocksByHash(PeerId peer, byte[] request) {
    BlocksByHashRequest req;
    try {
      req = BlocksByHashRequest.decode(request, SyncProtocols.MAX_BLOCKS_PER_REQUEST);
    } catch (WireFormatException e) {
      return done(Response.error(ResponseCode.INVALID_REQUEST, e.getMessage()));
    }
    // Unknown hashes are skipped; the answer stops before the response cap (at least one block).
    List<Block> blocks = new ArrayList<>();
    long bytes = 0;
    long budget = protocols.blocksByHash().maxResponseBytes() - 64L;
    for (Hash hash : req.hashes()) {
      Optional<Block> block = block(hash);
      if (block.isEmpty()) {
        continue;
      }
      long size = block.get().encodedSize() + 5L;
      if (!blocks.isEmpty() && bytes + size > budget) {
        break;
      }
      blocks.add(block.get());
      bytes += size;
    }
    return done(Response.ok(new BlocksByHashResponse(blocks).encode()));
  }

  private static CompletableFuture<Response> done(Response response) {
    return CompletableFuture.completedFuture(response);
  }
}
