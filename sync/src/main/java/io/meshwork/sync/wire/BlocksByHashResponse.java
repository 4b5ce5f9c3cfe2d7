package io.meshwork.sync.wire;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The requested blocks the responder has, in request order, each length-prefixed (chain-reqresp.md,
 * "Messages").
 */
public record BlocksByHashResponse(List<Block> blocks) {
  public BlocksByHashResponse {
    blocks = List.copyOf(blocks);
  }

  public byte[] encode() {
    int size = 5;
    for (Block block : blocks) {
      size += block.encodedSize() + 5;
    }
    CanonicalWriter writer = new CanonicalWriter(size);
    writer.varint(blocks.size());
    for (Block block : blocks) {
      byte[] encoding = block.encode();
      writer.varint(encoding.length).bytes(encoding);
    }
    return writer.toByteArray();
  }

  public static BlocksByHashResponse decode(
      byte[] bytes, int maxBlocks, int maxTransactionsPerBlock) {
    return WireFormatException.decoding(
        "blocks-by-hash response",
        () -> {
          CanonicalReader reader = new CanonicalReader(bytes);
          int count = reader.count(maxBlocks, "blocks");
          List<Block> blocks = new ArrayList<>(Math.min(count, reader.remaining() + 1));
          for (int i = 0; i < count; i++) {
            long length = reader.varint("block length");
            if (length > reader.remaining()) {
              throw new WireFormatException(
                  "blocks-by-hash response: block "
                      + i
                      + " length "
                      + length
                      + " exceeds the "
                      + reader.remaining()
                      + " bytes left");
            }
            byte[] encoding = reader.bytes((int) length, "block");
            blocks.add(Block.decode(encoding, maxTransactionsPerBlock));
          }
          reader.expectEnd("blocks-by-hash response");
          return new BlocksByHashResponse(blocks);
        });
  }
}
