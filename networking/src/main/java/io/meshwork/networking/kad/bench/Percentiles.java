package io.meshwork.networking.kad.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The median, 95th percentile and mean of a sample (nearest-rank percentiles).
 *
 * @param p50 the median
 * @param p95 the 95th percentile
 * @param mean the arithmetic mean
 */
public record Percentiles(double p50, double p95, double mean) {

  /** Of {@code values}; all zero for an empty sample. */
  public static Percentiles of(long[] values) {
    if (values.length == 0) {
      return new Percentiles(0, 0, 0);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(sorted).average().orElse(0);
    return new Percentiles(at(sorted, 0.50), at(sorted, 0.95), mean);
  }

  private static double at(long[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "p50 %.0f  p95 %.0f  mean %.1f", p50, p95, mean);
  }

  /** {@code {"p50":..,"p95":..,"mean":..}}. */
  public String toJson() {
    return String.format(Locale.ROOT, "{\"p50\":%.0f,\"p95\":%.0f,\"mean\":%.2f}", p50, p95, mean);
  }
}
