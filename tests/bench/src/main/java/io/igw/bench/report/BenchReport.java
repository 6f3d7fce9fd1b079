package io.igw.bench.report;

import io.igw.bench.workload.LoadLadder;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one benchmark produced: what ran (mode, workload, the command, a few setup lines), the
 * ladder, each policy's run and the per-step statistics.
 */
public record BenchReport(
    String mode,
    String workload,
    String command,
    List<String> setup,
    LoadLadder ladder,
    List<PolicyRun> runs,
    List<StepStats> stats) {

  public BenchReport {
    setup = List.copyOf(setup);
    runs = List.copyOf(runs);
    stats = List.copyOf(stats);
  }

  public static BenchReport of(
      String mode,
      String workload,
      String command,
      List<String> setup,
      LoadLadder ladder,
      List<PolicyRun> runs) {
    List<StepStats> stats = new ArrayList<>();
    for (PolicyRun run : runs) {
      stats.addAll(StepStatsCalculator.compute(run, ladder));
    }
    return new BenchReport(mode, workload, command, setup, ladder, runs, stats);
  }

  public List<String> policies() {
    return runs.stream().map(PolicyRun::policy).toList();
  }

  /** The row for a policy, step and class, or null. */
  public StepStats stat(String policy, int step, RequestClass requestClass) {
    for (StepStats s : stats) {
      if (s.policy().equals(policy)
          && s.step() == step
          && s.requestClass().equals(requestClass.label())) {
        return s;
      }
    }
    return null;
  }

  public boolean hasClasses() {
    return stats.stream().anyMatch(s -> !s.requestClass().equals(RequestClass.ALL.label()));
  }
}
