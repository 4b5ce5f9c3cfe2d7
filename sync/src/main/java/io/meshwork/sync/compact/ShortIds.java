package io.meshwork.sync.compact;

import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;

/**
 * Computes short ids for one block and sender salt: SipHash-2-4 keyed by the first 16 bytes of
 * SHA-256(header encoding ‖ salt as 8 bytes little-endian), over the 32-byte transaction id,
 * truncated to 48 bits (chain-gossip.md, "Short transaction ids"). Keying by block and salt means
 * nobody can precompute transactions whose ids collide (BIP152). Immutable, thread-safe.
 */
public final class ShortIds {
  private final long k0;
  private final long k1;

  public ShortIds(BlockHeader header, long salt) {
    byte[] saltBytes = new byte[8];
    for (int i = 0; i < 8; i++) {
      saltBytes[i] = (byte) (salt >>> (8 * i));
    }
    byte[] key = Hash.sha256(header.encode(), saltBytes).toBytes();
    this.k0 = SipHash.littleEndian(key, 0, 8);
    this.k1 = SipHash.littleEndian(key, 8, 8);
  }

  public ShortId of(Hash txId) {
    return new ShortId(SipHash.hash24(k0, k1, txId.toBytes()) & ShortId.MASK);
  }
}
