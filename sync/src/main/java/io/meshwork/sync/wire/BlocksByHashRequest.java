package io.meshwork.sync.wire;

import io.meshwork.chain.model.CanonicalReader;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import java.util.ArrayList;
import java.util.List;

/** Asks for full blocks by hash (chain-reqresp.md, "Messages"). */
public record BlocksByHashRequest(List<Hash> hashes) {
  /** Spec default for {@code maxHashes}. */
  public static final int MAX_HASHES = 64;

  public BlocksByHashRequest {
    hashes = List.copyOf(hashes);
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("a blocks-by-hash request asks for at least one hash");
    }
  }

  public byte[] encode() {
    CanonicalWriter writer = new CanonicalWriter(Hash.SIZE * hashes.size() + 5);
    writer.varint(hashes.size());
    for (Hash hash : hashes) {
      writer.hash(hash);
    }
    return writer.toByteArray();
  }

  public static BlocksByHashRequest decode(byte[] bytes, int maxHashes) {
    return WireFormatException.decoding(
        "blocks-by-hash request",
        () -> {
          CanonicalReader reader = new CanonicalReader(bytes);
          int count = reader.count(maxHashes, "hashes");
          if (count == 0) {
            throw new WireFormatException("blocks-by-hash request: no hashes");
          }
          List<Hash> hashes = new ArrayList<>(Math.min(count, reader.remaining() / Hash.SIZE + 1));
          for (int i = 0; i < count; i++) {
            hashes.add(reader.hash("hash"));
          }
          reader.expectEnd("blocks-by-hash request");
          return new BlocksByHashRequest(hashes);
        });
  }
}
