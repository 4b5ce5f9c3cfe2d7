package io.meshwork.chain.tree;

import io.meshwork.chain.model.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The canonical chain's hashes by height, in memory (32 bytes per block), with the block locator
 * that header-first sync exchanges: the last ten hashes, then exponentially sparser, ending at
 * genesis, so two nodes find their fork point in one round trip. Not thread-safe: owned by the
 * chain.
 */
public final class CanonicalChain {
  private final List<Hash> hashes = new ArrayList<>();

  public CanonicalChain(List<Hash> fromGenesis) {
    hashes.addAll(fromGenesis);
  }

  /** Drops everything above {@code height} and appends {@code added}. */
  public void replaceAbove(long height, List<Hash> added) {
    while (hashes.size() > height + 1) {
      hashes.remove(hashes.size() - 1);
    }
    hashes.addAll(added);
  }

  public long headHeight() {
    return hashes.size() - 1;
  }

  public Optional<Hash> at(long height) {
    return height < 0 || height >= hashes.size()
        ? Optional.empty()
        : Optional.of(hashes.get((int) height));
  }

  public boolean contains(Hash hash, long height) {
    return at(height).map(hash::equals).orElse(false);
  }

  /** Head first: ten consecutive hashes, then doubling steps back, always ending at genesis. */
  public List<Hash> locator() {
    List<Hash> locator = new ArrayList<>();
    long step = 1;
    for (long height = headHeight(); height > 0; height -= step) {
      locator.add(hashes.get((int) height));
      if (locator.size() >= 10) {
        step *= 2;
      }
    }
    locator.add(hashes.get(0));
    return locator;
  }
}
