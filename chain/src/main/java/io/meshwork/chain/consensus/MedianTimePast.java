package io.meshwork.chain.consensus;

import io.meshwork.chain.model.BlockHeader;
import java.util.Arrays;
import java.util.Optional;

/** The median timestamp of a block and its up to ten predecessors (Bitcoin's BIP 113 rule). */
public final class MedianTimePast {
  private MedianTimePast() {}

  /** The median over {@code tip} and its ancestors, {@link ConsensusParams#MEDIAN_TIME_SPAN}. */
  public static long of(BlockHeader tip, HeaderLookup lookup) {
    long[] times = new long[ConsensusParams.MEDIAN_TIME_SPAN];
    int count = 0;
    Optional<BlockHeader> current = Optional.of(tip);
    while (current.isPresent() && count < times.length) {
      BlockHeader header = current.get();
      times[count++] = header.timestampMillis();
      current = header.height() == 0 ? Optional.empty() : lookup.header(header.parent());
    }
    long[] sorted = Arrays.copyOf(times, count);
    Arrays.sort(sorted);
    return sorted[count / 2];
  }
}
