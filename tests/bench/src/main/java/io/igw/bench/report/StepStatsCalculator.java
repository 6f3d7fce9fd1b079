package io.igw.bench.report;

import io.igw.bench.workload.LoadLadder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a policy run into per-step statistics: one row per step for all requests, and per priority
 * class too.
 */
public final class StepStatsCalculator {
  private StepStatsCalculator() {}

  public static List<StepStats> compute(PolicyRun run, LoadLadder ladder) {
    boolean mixed =
        run.outcomes().stream().anyMatch(o -> o.priority() < 0)
            && run.outcomes().stream().anyMatch(o -> o.priority() >= 0);
    List<StepStats> out = new ArrayList<>();
    for (int step = 0; step < ladder.size(); step++) {
      out.add(stats(run, ladder, step, RequestClass.ALL));
      if (mixed) {
        out.add(stats(run, ladder, step, RequestClass.CRITICAL));
        out.add(stats(run, ladder, step, RequestClass.SHEDDABLE));
      }
    }
    return out;
  }

  /**
   * The served requests' TTFTs followed by those of the requests abandoned at the timeout (kept at
   * the end).
   */
  private static double[] withTimedOut(double[] ttft, int ok, int timedOut) {
    double[] out = new double[ok + timedOut];
    System.arraycopy(ttft, 0, out, 0, ok);
    System.arraycopy(ttft, ttft.length - timedOut, out, ok, timedOut);
    return out;
  }

  static StepStats stats(PolicyRun run, LoadLadder ladder, int step, RequestClass requestClass) {
    List<RequestOutcome> in = new ArrayList<>();
    for (RequestOutcome o : run.outcomes()) {
      if (o.step() == step && requestClass.contains(o)) {
        in.add(o);
      }
    }
    int n = in.size();
    double[] ttft = new double[n];
    double[] tpot = new double[n];
    double[] e2e = new double[n];
    int ok = 0;
    int timedOut = 0;
    int shed = 0;
    int errors = 0;
    int good = 0;
    long promptTokens = 0;
    long cachedTokens = 0;
    long outputTokens = 0;
    for (RequestOutcome o : in) {
      if (o.ok()) {
        ttft[ok] = o.ttft();
        tpot[ok] = o.outputTokens() > 1 ? o.tpot() : Double.NaN;
        e2e[ok] = o.e2e();
        ok++;
        outputTokens += o.outputTokens();
        if (o.cachedTokens() >= 0) {
          promptTokens += o.promptTokens();
          cachedTokens += o.cachedTokens();
        }
        if (o.ttft() <= StepStats.SLO_TTFT_SECONDS && !(o.tpot() > StepStats.SLO_TPOT_SECONDS)) {
          good++;
        }
      } else if (o.shed()) {
        shed++;
      } else if (o.timedOut()) {
        ttft[n - 1 - timedOut] = o.ttft();
        timedOut++;
        errors++;
      } else {
        errors++;
      }
    }
    double duration = ladder.step(step).durationSeconds();
    double tokensPerSecond =
        requestClass == RequestClass.ALL
            ? run.outputTokensByStep()[step] / duration
            : outputTokens / duration;
    return new StepStats(
        run.policy(),
        step,
        ladder.step(step).qps(),
        duration,
        requestClass.label(),
        n,
        ok,
        shed,
        errors,
        Percentiles.of(withTimedOut(ttft, ok, timedOut), ok + timedOut),
        Percentiles.of(tpot, ok),
        Percentiles.of(e2e, ok),
        tokensPerSecond,
        promptTokens == 0 ? Double.NaN : (double) cachedTokens / promptTokens,
        good / duration);
  }
}
