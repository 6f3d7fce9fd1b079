package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScorersTest {
  static final TypedName NAME = new TypedName("t", "t");

  static double[] score(
      io.igw.picker.scheduling.Scorer scorer, String model, List<EndpointState> candidates) {
    double[] scores = new double[candidates.size()];
    scorer.score(Contexts.of(model, null), candidates, scores);
    return scores;
  }

  @Test
  void queueScorerNormalisesOverCandidatesAndCountsUnreportedPicks() {
    List<EndpointState> c =
        List.of(
            Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 5, 0, 0), Endpoints.state(3, 10, 0, 0));
    assertThat(score(new QueueScorer(NAME), null, c)).containsExactly(1.0, 0.5, 0.0);
    for (int i = 0; i < 2; i++) {
      c.get(1).startRequest(0);
      c.get(1).recordPick(0);
    }
    assertThat(score(new QueueScorer(NAME), null, c)[1])
        .isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    List<EndpointState> equal = List.of(Endpoints.state(1, 3, 0, 0), Endpoints.state(2, 3, 0, 0));
    assertThat(score(new QueueScorer(NAME), null, equal)).containsExactly(1.0, 1.0);
  }

  @Test
  void queueScorerAsUpstreamReadsTheScrapedWaitingCountOnly() {
    List<EndpointState> c =
        List.of(
            Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 5, 0, 0), Endpoints.state(3, 10, 0, 0));
    QueueScorer upstream = new QueueScorer(NAME, new QueueScorer.Params(false));
    for (int i = 0; i < 4; i++) {
      c.get(0).startRequest(0);
      c.get(0).recordPick(0);
    }
    assertThat(score(upstream, null, c)).containsExactly(1.0, 0.5, 0.0);
    // igw's default counts them: queues 4, 5, 10
    assertThat(score(new QueueScorer(NAME), null, c)[1])
        .isCloseTo(5.0 / 6, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void kvCacheScorerIsOneMinusUse() {
    List<EndpointState> c = List.of(Endpoints.state(1, 0, 0, 0.25), Endpoints.state(2, 0, 0, 1.0));
    assertThat(score(new KvCacheUtilizationScorer(NAME), null, c)).containsExactly(0.75, 0.0);
  }

  @Test
  void loraAffinityScorerFollowsTheReferenceLevels() {
    List<EndpointState> c =
        List.of(
            Endpoints.lora(1, Set.of("a"), Set.of(), 2), // running
            Endpoints.lora(2, Set.of("b"), Set.of(), 2), // free slot
            Endpoints.lora(3, Set.of("b"), Set.of("a"), 2), // waiting, no slot
            Endpoints.lora(4, Set.of("b", "c"), Set.of(), 2)); // nothing
    assertThat(score(new LoraAffinityScorer(NAME), "a", c)).containsExactly(1.0, 0.8, 0.6, 0.0);
    EndpointState base =
        Endpoints.withModels(
            Endpoints.lora(5, Set.of("b", "c"), Set.of(), 2), Set.of("base", "a"), Set.of("a"));
    assertThat(score(new LoraAffinityScorer(NAME), "base", List.of(base))).containsExactly(1.0);
    assertThat(score(new LoraAffinityScorer(NAME), null, c)).containsOnly(1.0);
  }
}
