package io.igw.simulator.engine;

import java.util.Arrays;

/** A Prometheus-style histogram: fixed upper bounds, cumulative on read, plus sum and count. */
public final class BucketHistogram {

  private final double[] upperBounds;
  private final long[] counts;
  private double sum;
  private long count;

  public BucketHistogram(double... upperBounds) {
    this.upperBounds = upperBounds.clone();
    this.counts = new long[upperBounds.length];
  }

  private BucketHistogram(BucketHistogram other) {
    this.upperBounds = other.upperBounds;
    this.counts = other.counts.clone();
    this.sum = other.sum;
    this.count = other.count;
  }

  public void record(double value) {
    int index = Arrays.binarySearch(upperBounds, value);
    if (index < 0) {
      index = -index - 1;
    }
    if (index < counts.length) {
      counts[index]++;
    }
    sum += value;
    count++;
  }

  public double[] upperBounds() {
    return upperBounds.clone();
  }

  /** Observations ≤ {@code upperBounds()[i]}. */
  public long cumulativeCount(int i) {
    long total = 0;
    for (int j = 0; j <= i; j++) {
      total += counts[j];
    }
    return total;
  }

  public double sum() {
    return sum;
  }

  public long count() {
    return count;
  }

  public BucketHistogram copy() {
    return new BucketHistogram(this);
  }
}
