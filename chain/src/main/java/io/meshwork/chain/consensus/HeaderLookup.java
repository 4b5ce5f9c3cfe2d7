package io.meshwork.chain.consensus;

import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import java.util.Optional;

/** Ancestor headers, as the contextual rules need them (the block tree implements it). */
@FunctionalInterface
public interface HeaderLookup {
  Optional<BlockHeader> header(Hash hash);
}
