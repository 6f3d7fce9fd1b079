package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.metrics.EngineMetricNames;
import io.igw.picker.metrics.EngineMetricsMapper;
import io.igw.picker.scheduling.PrefixMatch;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixCacheScorerTest {
  static final String SHARED = "s".repeat(640); // 10 blocks of 64 bytes
  final List<EndpointState> c = List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0));

  PrefixCacheScorer scorer(int capacity) {
    return new PrefixCacheScorer(
        ScorersTest.NAME, new PrefixCacheScorer.Params(16, 256, capacity, false));
  }

  double[] scoreAndSchedule(PrefixCacheScorer scorer, String model, String prompt, int chosen) {
    SchedulingContext context = Contexts.of(model, prompt);
    double[] scores = new double[c.size()];
    scorer.score(context, c, scores);
    scorer.preRequest(context, new ProfileResult("p", List.of(c.get(chosen))));
    return scores;
  }

  @Test
  void scoresTheSharedLeadingBlocksOfTheServerThatGotThem() {
    PrefixCacheScorer scorer = scorer(1000);
    assertThat(scoreAndSchedule(scorer, "m", SHARED + "a".repeat(640), 0))
        .containsExactly(0.0, 0.0);
    // same 10 leading blocks, then 10 other blocks: half matches on server 0
    assertThat(scoreAndSchedule(scorer, "m", SHARED + "b".repeat(640), 1))
        .containsExactly(0.5, 0.0);
    // another model shares nothing
    assertThat(scoreAndSchedule(scorer, "other", SHARED, 1)).containsExactly(0.0, 0.0);
    // a trailing partial block counts
    double[] partial = scoreAndSchedule(scorer, "m", SHARED + "x", 1);
    assertThat(partial[0]).isEqualTo(10.0 / 11);
    assertThat(partial[1]).isEqualTo(10.0 / 11);
  }

  @Test
  void matchStopsAtTheFirstMissingBlock() {
    PrefixCacheScorer scorer = scorer(1000);
    scoreAndSchedule(scorer, "m", "a".repeat(64) + "b".repeat(64) + "c".repeat(64), 0);
    assertThat(scoreAndSchedule(scorer, "m", "a".repeat(64) + "X".repeat(64) + "c".repeat(64), 1))
        .containsExactly(1.0 / 3, 0.0);
  }

  @Test
  void leastRecentlyUsedBlocksAreEvicted() {
    PrefixCacheScorer scorer = scorer(10);
    scoreAndSchedule(scorer, "m", SHARED, 0);
    scoreAndSchedule(scorer, "m", "z".repeat(640), 0);
    assertThat(scorer.index().blockCount(c.get(0).address())).isEqualTo(10);
    assertThat(scoreAndSchedule(scorer, "m", SHARED, 1)).containsExactly(0.0, 0.0);
  }

  @Test
  void serversGoneFromEveryPoolAreForgottenAndTheirIdsReused() {
    PrefixIndex index = new PrefixIndex(100);
    long[] hashes = PrefixHasher.blockHashes("m", PromptBytes.utf8(SHARED), 64, 256);
    index.add(c.get(0).address(), hashes, 0, 1000);
    index.add(c.get(1).address(), hashes, 0, 5000);
    index.purgeIdle(2000);
    assertThat(index.serverCount()).isEqualTo(1);
    List<EndpointState> many = new java.util.ArrayList<>();
    for (int i = 10; i < 80; i++) {
      many.add(Endpoints.state(i, 0, 0, 0));
      index.add(
          many.get(many.size() - 1).address(), java.util.Arrays.copyOf(hashes, i % 10), 0, 6000);
    }
    many.add(c.get(1));
    int[] matched = new int[many.size()];
    index.match(many, hashes, matched, 7000);
    for (int i = 0; i < 70; i++) {
      assertThat(matched[i]).as("server %d", i).isEqualTo((i + 10) % 10);
    }
    assertThat(matched[70]).isEqualTo(10);
    int[] none = new int[1];
    index.match(List.of(c.get(0)), hashes, none, 7000);
    assertThat(none[0]).isZero();
  }

  @Test
  void emptyPromptScoresNothingAndIndexesNothing() {
    PrefixCacheScorer scorer = scorer(10);
    assertThat(scoreAndSchedule(scorer, "m", "", 0)).containsExactly(0.0, 0.0);
    assertThat(scorer.index().serverCount()).isZero();
  }

  @Test
  void hashChainDependsOnEveryEarlierBlock() {
    byte[] a = ("x".repeat(64) + "y".repeat(64)).getBytes(StandardCharsets.UTF_8);
    byte[] b = ("z".repeat(64) + "y".repeat(64)).getBytes(StandardCharsets.UTF_8);
    long[] ha = PrefixHasher.blockHashes("m", PromptBytes.of(a), 64, 256);
    long[] hb = PrefixHasher.blockHashes("m", PromptBytes.of(b), 64, 256);
    assertThat(ha).hasSize(2);
    assertThat(ha[1]).isNotEqualTo(hb[1]);
    assertThat(PrefixHasher.blockHashes("m", PromptBytes.of(a), 64, 1)).hasSize(1);
  }

  static MetricsSnapshot vllmScrape(int blockSize, int numGpuBlocks) {
    return new EngineMetricsMapper(EngineMetricNames.VLLM)
        .map(
            """
        vllm:num_requests_waiting{model_name="m"} 0
        vllm:cache_config_info{block_size="%d",cache_dtype="auto",model_name="m",num_gpu_blocks="%d"} 1.0
        """
                .formatted(blockSize, numGpuBlocks),
            0);
  }

  PrefixMatch schedule(
      PrefixCacheScorer scorer, List<EndpointState> candidates, String prompt, int chosen) {
    SchedulingContext context = Contexts.of("m", prompt);
    scorer.score(context, candidates, new double[candidates.size()]);
    scorer.preRequest(context, new ProfileResult("p", List.of(candidates.get(chosen))));
    return context.prefixMatches().get(0);
  }

  @Test
  void autoTuneTakesBlockSizeAndCapacityFromTheServersScrape() {
    EndpointState server = Endpoints.state(1, vllmScrape(32, 40));
    String prompt =
        "q".repeat(60 * 32 * PrefixCacheScorer.CHARS_PER_TOKEN); // 60 blocks of 32 tokens

    PrefixCacheScorer tuned =
        new PrefixCacheScorer(ScorersTest.NAME, PrefixCacheScorer.Params.DEFAULTS);
    PrefixMatch match = schedule(tuned, List.of(server), prompt, 0);
    assertThat(match.totalBlocks()).isEqualTo(60);
    assertThat(match.blockBytes()).isEqualTo(128);
    assertThat(tuned.index().capacity(server.address())).isEqualTo(40);
    assertThat(tuned.index().blockCount(server.address())).isEqualTo(40);
    assertThat(tuned.index().totalBlocks()).isEqualTo(40);

    PrefixCacheScorer fixed = scorer(31_250);
    assertThat(schedule(fixed, List.of(server), prompt, 0).totalBlocks()).isEqualTo(120);
    assertThat(fixed.index().capacity(server.address())).isEqualTo(31_250);
  }

  @Test
  void serversWithDifferentBlockSizesShareTheSmallestAndKeepTheirCapacityInTokens() {
    EndpointState big = Endpoints.state(1, vllmScrape(32, 40));
    EndpointState small = Endpoints.state(2, vllmScrape(16, 100));
    PrefixCacheScorer scorer =
        new PrefixCacheScorer(ScorersTest.NAME, PrefixCacheScorer.Params.DEFAULTS);
    for (List<EndpointState> order : List.of(List.of(big, small), List.of(small, big))) {
      assertThat(scorer.blockSizeTokens(order)).isEqualTo(16);
    }
    schedule(scorer, List.of(big, small), "q".repeat(64 * 10), 0);
    assertThat(scorer.index().capacity(big.address())).isEqualTo(80); // 40 blocks of 32 tokens
    // a repeat scores 1 on the server that got it, whatever the order of the candidates
    PrefixMatch repeat = schedule(scorer, List.of(small, big), "q".repeat(64 * 10), 1);
    assertThat(repeat.hitRatio()).isEqualTo(1.0);
  }

  @Test
  void aSmallerCapacityEvictsTheLeastRecentlyUsedAtOnce() {
    PrefixIndex index = new PrefixIndex(1000);
    long[] first = PrefixHasher.blockHashes("m", PromptBytes.utf8("a".repeat(640)), 64, 256);
    long[] second = PrefixHasher.blockHashes("m", PromptBytes.utf8("b".repeat(640)), 64, 256);
    index.add(c.get(0).address(), first, 0, 0);
    index.add(c.get(0).address(), second, 0, 0);
    index.add(c.get(1).address(), first, 0, 0);
    assertThat(index.totalBlocks()).isEqualTo(30);
    index.add(c.get(0).address(), new long[0], 10, 0);
    assertThat(index.blockCount(c.get(0).address())).isEqualTo(10);
    assertThat(index.totalBlocks()).isEqualTo(20);
    int[] matched = new int[2];
    index.match(c, second, matched, 0);
    assertThat(matched).containsExactly(10, 0);
    index.match(c, first, matched, 0);
    assertThat(matched).containsExactly(0, 10);
    index.purgeIdle(1);
    assertThat(index.totalBlocks()).isZero();
  }

  @Test
  void reportsTheChosenServersMatchBeforeRecordingTheRequest() {
    PrefixCacheScorer scorer = scorer(1000);
    assertThat(schedule(scorer, c, SHARED, 0).hitRatio()).isZero();
    PrefixMatch repeat = schedule(scorer, c, SHARED + "a".repeat(640), 0);
    assertThat(repeat).isEqualTo(new PrefixMatch(ScorersTest.NAME, 10, 20, 64, 20));
    assertThat(repeat.hitRatio()).isEqualTo(0.5);
    assertThat(repeat.matchedBytes()).isEqualTo(640);
    assertThat(schedule(scorer, c, SHARED, 1).hitRatio()).isZero();
  }
}
