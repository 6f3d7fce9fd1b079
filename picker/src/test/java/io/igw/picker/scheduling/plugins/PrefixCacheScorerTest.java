package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixCacheScorerTest {
  static final String SHARED = "s".repeat(640);   // 10 blocks of 64 bytes
  final List<EndpointState> c = List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0));

  PrefixCacheScorer scorer(int capacity) {
    return new PrefixCacheScorer(ScorersTest.NAME, new PrefixCacheScorer.Params(16, 256, capacity, false));
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
    assertThat(scoreAndSchedule(scorer, "m", SHARED + "a".repeat(640), 0)).containsExactly(0.0, 0.0);
    // same 10 leading blocks, then 10 other blocks: half matches on server 0
    assertThat(scoreAndSchedule(scorer, "m", SHARED + "b".repeat(640), 1)).containsExactly(0.5, 0.0);
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
    long[] hashes = PrefixHasher.blockHashes("m", SHARED.getBytes(StandardCharsets.UTF_8), 64, 256);
    index.add(c.get(0).address(), hashes, 0, 1000);
    index.add(c.get(1).address(), hashes, 0, 5000);
    index.purgeIdle(2000);
    assertThat(index.serverCount()).isEqualTo(1);
    List<EndpointState> many = new java.util.ArrayList<>();
    for (int i = 10; i < 80; i++) {
      many.add(Endpoints.state(i, 0, 0, 0));
      index.add(many.get(many.size() - 1).address(), java.util.Arrays.copyOf(hashes, i % 10), 0, 6000);
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
    long[] ha = PrefixHasher.blockHashes("m", a, 64, 256);
    long[] hb = PrefixHasher.blockHashes("m", b, 64, 256);
    assertThat(ha).hasSize(2);
    assertThat(ha[1]).isNotEqualTo(hb[1]);
    assertThat(PrefixHasher.blockHashes("m", a, 64, 1)).hasSize(1);
  }
}
