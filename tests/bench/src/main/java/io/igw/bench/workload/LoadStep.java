package io.igw.bench.workload;

/**
 * One rung of a load ladder: Poisson arrivals at {@code qps} for {@code durationSeconds} (0 qps: a
 * pause).
 */
public record LoadStep(double qps, double durationSeconds) {
  public LoadStep {
    if (!(qps >= 0) || !(durationSeconds > 0)) {
      throw new IllegalArgumentException(
          "a load step needs qps ≥ 0 and a duration > 0, got "
              + qps
              + " for "
              + durationSeconds
              + " s");
    }
  }
}
