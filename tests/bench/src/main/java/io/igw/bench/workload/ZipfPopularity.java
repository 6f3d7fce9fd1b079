package io.igw.bench.workload;

import java.util.Arrays;

/**
 * Rank k (0-based) of {@code n} drawn with probability ∝ 1/(k+1)^exponent; exponent 0 is uniform.
 */
public final class ZipfPopularity {
  private final double[] cumulative;

  public ZipfPopularity(int n, double exponent) {
    if (n < 1 || exponent < 0 || Double.isNaN(exponent)) {
      throw new IllegalArgumentException(
          "zipf needs n ≥ 1 and exponent ≥ 0, got n=" + n + " exponent=" + exponent);
    }
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
  }

  /** The rank for a uniform draw {@code u} in [0, 1). */
  public int rank(double u) {
    int i = Arrays.binarySearch(cumulative, u);
    int k = i >= 0 ? i + 1 : -i - 1;
    return Math.min(k, cumulative.length - 1);
  }

  /** Share of the traffic rank k gets. */
  public double share(int k) {
    return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
  }
}
