package io.igw.bench.report;

import java.util.List;

/**
 * One policy's replay of a sequence: every request's outcome, and the output tokens the servers
 * delivered during each load step (throughput is counted when tokens come out, not per request, so
 * a backlog counts where it runs).
 */
public record PolicyRun(
    String policy, List<RequestOutcome> outcomes, long[] outputTokensByStep, double wallSeconds) {
  public PolicyRun {
    outcomes = List.copyOf(outcomes);
    outputTokensByStep = outputTokensByStep.clone();
  }
}
