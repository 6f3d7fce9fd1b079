package io.igw.simulator.faults;

import java.util.SplittableRandom;

/**
 * Draws each request's fault from the plan with the server's seeded random, so a run can be
 * replayed.
 */
public final class FaultInjector {

  private final SplittableRandom random;
  private final long startNanos = System.nanoTime();
  private FaultPlan plan;

  public FaultInjector(FaultPlan plan, long seed) {
    this.plan = plan;
    this.random = new SplittableRandom(seed);
  }

  public FaultPlan plan() {
    return plan;
  }

  public void setPlan(FaultPlan plan) {
    this.plan = plan;
  }

  /** False during the slow start. */
  public boolean ready() {
    return (System.nanoTime() - startNanos) / 1e9 >= plan.slowStartSeconds();
  }

  public Fault next() {
    double draw = random.nextDouble();
    if ((draw -= plan.errorRate()) < 0) {
      return Fault.ERROR;
    }
    if ((draw -= plan.dropRate()) < 0) {
      return Fault.DROP;
    }
    if ((draw -= plan.hangRate()) < 0) {
      return Fault.HANG;
    }
    if (draw - plan.crashRate() < 0) {
      return Fault.CRASH;
    }
    return Fault.NONE;
  }
}
