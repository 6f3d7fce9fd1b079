package io.igw.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.bench.workload.LoadLadder;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownSummaryTest {
  static RequestOutcome served(int id, double ttft) {
    return new RequestOutcome(id, 0, 0, 200, 0, ttft, 0.01, ttft + 1, 100, 50, 10);
  }

  static PolicyRun run(String policy, double ttft, long tokens) {
    return new PolicyRun(policy, List.of(served(0, ttft), served(1, ttft)), new long[] {tokens}, 0);
  }

  @Test
  void ratiosAndTheGoalAtTheTopOfTheLadder() {
    BenchReport report =
        BenchReport.of(
            "lab",
            "w",
            "./igw bench w",
            List.of("setup"),
            LoadLadder.of(10, 5),
            List.of(
                run("igw", 0.5, 3000),
                run("round-robin", 10, 1000),
                run("least-requests", 1, 2000)));
    String md = MarkdownSummary.render(report);
    assertThat(md)
        .contains("| 5 | 300 | 100 | 200 | 3.00 | 1.50 | 0.500 | 10.0 | 1.000 | 0.050 | 0.50 |");
    assertThat(md).contains("3.00× round-robin's output throughput (goal ≥ 2×: met)");
    assertThat(md).contains("20.0× lower (goal ≥ 10×: met)");
  }

  @Test
  void statsCountShedAndFailedApart() {
    PolicyRun run =
        new PolicyRun(
            "igw",
            List.of(
                served(0, 1),
                RequestOutcome.refused(1, 0, -1, 429, 10),
                RequestOutcome.refused(2, 0, 0, 503, 10)),
            new long[] {100},
            0);
    StepStats all = StepStatsCalculator.stats(run, LoadLadder.of(10, 1), 0, RequestClass.ALL);
    assertThat(all.sent()).isEqualTo(3);
    assertThat(all.ok()).isEqualTo(1);
    assertThat(all.shed()).isEqualTo(1);
    assertThat(all.errors()).isEqualTo(1);
    assertThat(all.cacheHitRate()).isEqualTo(0.5);
    assertThat(all.outputTokensPerSecond()).isEqualTo(10);
  }
}
