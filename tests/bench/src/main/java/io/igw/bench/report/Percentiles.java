package io.igw.bench.report;

import org.HdrHistogram.Histogram;

/** p50 / p90 / p99 of a latency in seconds (NaN when nothing was measured). */
public record Percentiles(double p50, double p90, double p99) {
  public static final Percentiles NONE = new Percentiles(Double.NaN, Double.NaN, Double.NaN);
  private static final long MAX_MICROS = 3_600_000_000L;

  /** Values in seconds, to microseconds with 3 significant digits; NaN values are skipped. */
  public static Percentiles of(double[] seconds, int count) {
    Histogram histogram = new Histogram(1, MAX_MICROS, 3);
    int recorded = 0;
    for (int i = 0; i < count; i++) {
      if (!Double.isNaN(seconds[i])) {
        histogram.recordValue(Math.max(1, Math.min(MAX_MICROS, Math.round(seconds[i] * 1e6))));
        recorded++;
      }
    }
    if (recorded == 0) {
      return NONE;
    }
    return new Percentiles(at(histogram, 50), at(histogram, 90), at(histogram, 99));
  }

  private static double at(Histogram histogram, double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1e6;
  }
}
