package io.igw.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.bench.log.BenchLog;
import io.igw.bench.report.Percentiles;
import io.igw.bench.report.PolicyRun;
import io.igw.bench.report.RequestOutcome;
import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.bench.workload.WorkloadPresets;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llm-d's published b2b-saas ordering ("KV-cache wins you can see": approximate prefix routing
 * 6,944 tok/s and p90 TTFT 31.1 s, load only 4,429 / 94.9 s, random 4,429 / 92.6 s) reproduced on
 * the lab's live pick path, shortened: the full b2b-saas preset (150 system prompts × 5 questions,
 * 6000 + 1200 → 1000 tokens, 8 servers of the qwen3-32b-h100-tp2 profile) on two 20-s steps, 10
 * then 20 QPS, the second past what the pool serves without prefix hits. Whole-run output tok/s and
 * p90 TTFT (timed-out requests count at their censored TTFT).
 *
 * <p>Frozen before it was first run: approximate (igw's default and upstream's reference, both the
 * approximate prefix index) beats load only and random by ≥ 10 % in output tok/s and ≥ 2× in p90
 * TTFT; load only and random are within 15 % of each other in tok/s and within 1.5× in p90 TTFT.
 * Seeds 11-13, not used for anything else.
 *
 * <p>The precise row (llm-d's precise-scheduling: {@code precise-reference}, the reference weights
 * on the index the engines' KV events feed, through the picker's decoder, with exact tokens),
 * frozen before its first run: at least the reference's output tok/s and at most its p90 TTFT, and
 * the same margins over load only and random as approximate. (llm-d published 25 % more tok/s and a
 * 57× lower p90 TTFT than approximate over its whole 3→60 QPS ladder; this short run stays where
 * approximate's p90 TTFT is still below a second, so only "not worse" is asked of it here.)
 */
class PublishedOrderingTest {
  static final LoadLadder LADDER = LoadLadder.of(20, 10, 20);
  static final EngineConfig ENGINE = EngineConfig.of(EngineProfile.QWEN3_32B_H100_TP2);

  record Row(double tokensPerSecond, double p90Ttft) {}

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void preciseAtLeastApproximateWhichBeatsLoadOnlyWhichMatchesRandom(long seed) {
    RequestSequence sequence =
        SharedPrefixWorkload.b2bSaas(WorkloadPresets.BASE_MODEL).generate(LADDER, seed);
    RoutingLab lab =
        new RoutingLab(
            new LabSettings(
                8,
                ENGINE,
                LabSettings.DEFAULT_SCRAPE_INTERVAL_MILLIS,
                WorkloadPresets.BASE_MODEL,
                seed,
                LabSettings.DEFAULT_TIMEOUT_SECONDS),
            BenchLog.NONE);
    Map<String, Policy> policies = Policies.builtIn();
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String name :
        new String[] {
          Policies.PRECISE_REFERENCE,
          Policies.IGW,
          Policies.REFERENCE,
          Policies.LOAD_ONLY,
          Policies.RANDOM
        }) {
      rows.put(name, row(lab.run(policies.get(name), sequence)));
    }
    System.out.println("event=published_ordering seed=" + seed + " rows=" + rows);
    Row loadOnly = rows.get(Policies.LOAD_ONLY);
    Row random = rows.get(Policies.RANDOM);
    Row precise = rows.get(Policies.PRECISE_REFERENCE);
    Row reference = rows.get(Policies.REFERENCE);
    assertThat(precise.tokensPerSecond())
        .as("precise tok/s vs approximate (reference)")
        .isGreaterThanOrEqualTo(reference.tokensPerSecond());
    assertThat(precise.p90Ttft())
        .as("precise p90 TTFT vs approximate (reference)")
        .isLessThanOrEqualTo(reference.p90Ttft());
    for (String approximate :
        new String[] {Policies.PRECISE_REFERENCE, Policies.IGW, Policies.REFERENCE}) {
      Row a = rows.get(approximate);
      assertThat(a.tokensPerSecond())
          .as(approximate + " tok/s vs load only and random")
          .isGreaterThan(1.1 * Math.max(loadOnly.tokensPerSecond(), random.tokensPerSecond()));
      assertThat(a.p90Ttft())
          .as(approximate + " p90 TTFT vs load only and random")
          .isLessThan(0.5 * Math.min(loadOnly.p90Ttft(), random.p90Ttft()));
    }
    assertThat(loadOnly.tokensPerSecond() / random.tokensPerSecond())
        .as("load only ≈ random, tok/s")
        .isBetween(0.85, 1.15);
    assertThat(loadOnly.p90Ttft() / random.p90Ttft())
        .as("load only ≈ random, p90 TTFT")
        .isBetween(1 / 1.5, 1.5);
  }

  static Row row(PolicyRun run) {
    long tokens = 0;
    for (long t : run.outputTokensByStep()) {
      tokens += t;
    }
    double[] ttft =
        run.outcomes().stream()
            .mapToDouble(RequestOutcome::ttft)
            .filter(t -> !Double.isNaN(t))
            .toArray();
    return new Row(tokens / LADDER.totalSeconds(), Percentiles.of(ttft, ttft.length).p90());
  }
}
