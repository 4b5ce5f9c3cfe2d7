package io.meshwork.sync.wire;

import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.sync.compact.CompactBlock;
import java.util.Arrays;

/**
 * The message of the block topic: {@code kind byte ‖ body}, kind 0 a full canonical block, kind 1 a
 * compact block (chain-gossip.md, "Messages").
 */
public sealed interface BlockAnnouncement {
  byte KIND_FULL = 0;
  byte KIND_COMPACT = 1;

  byte[] encode();

  /** The announced block's header (checked before any transaction is looked at). */
  BlockHeader header();

  static BlockAnnouncement decode(byte[] bytes, int maxTransactionsPerBlock) {
    if (bytes.length == 0) {
      throw new WireFormatException("block announcement: empty");
    }
    return switch (bytes[0]) {
      case KIND_FULL ->
          new Full(
              WireFormatException.decoding(
                  "block announcement (full)",
                  () ->
                      Block.decode(
                          Arrays.copyOfRange(bytes, 1, bytes.length), maxTransactionsPerBlock)));
      case KIND_COMPACT ->
          new Compact(
              WireFormatException.decoding(
                  "block announcement (compact)",
                  () -> {
                    CanonicalReader reader = new CanonicalReader(bytes);
                    reader.bytes(1, "kind");
                    CompactBlock block = CompactBlock.read(reader, maxTransactionsPerBlock);
                    reader.expectEnd("compact block");
                    return block;
                  }));
      default ->
          throw new WireFormatException("block announcement: unknown kind " + (bytes[0] & 0xff));
    };
  }

  /** A full block, sent where the sender expects the receiver to lack most transactions. */
  record Full(Block block) implements BlockAnnouncement {
    @Override
    public byte[] encode() {
      byte[] body = block.encode();
      byte[] out = new byte[body.length + 1];
      out[0] = KIND_FULL;
      System.arraycopy(body, 0, out, 1, body.length);
      return out;
    }

    @Override
    public BlockHeader header() {
      return block.header();
    }
  }

  /** A compact block (short transaction ids), the usual announcement. */
  record Compact(CompactBlock block) implements BlockAnnouncement {
    @Override
    public byte[] encode() {
      byte[] body = block.encode();
      byte[] out = new byte[body.length + 1];
      out[0] = KIND_COMPACT;
      System.arraycopy(body, 0, out, 1, body.length);
      return out;
    }

    @Override
    public BlockHeader header() {
      return block.header();
    }
  }
}
