package io.igw.bench.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Arrival times of a Poisson process that follows a ladder's rates, from one seed. */
public final class PoissonArrivals {
  private PoissonArrivals() {}

  /** Sorted arrival times, seconds; each step's arrivals fall inside that step. */
  public static double[] times(LoadLadder ladder, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] out = new double[64];
    int n = 0;
    for (int i = 0; i < ladder.size(); i++) {
      LoadStep step = ladder.step(i);
      double t = ladder.startOf(i);
      double end = ladder.endOf(i);
      while (step.qps() > 0) {
        t += -Math.log(1.0 - random.nextDouble()) / step.qps();
        if (t >= end) {
          break;
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = t;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
