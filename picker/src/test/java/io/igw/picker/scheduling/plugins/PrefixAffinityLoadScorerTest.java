package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Parameters;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixAffinityLoadScorerTest {
  static final String PROMPT = "p".repeat(64 * 32); // 32 blocks: tolerance 2 + 32/32 = 3 requests

  static PrefixAffinityLoadScorer scorer() {
    return (PrefixAffinityLoadScorer)
        PrefixAffinityLoadScorer.FACTORY.create(new Parameters(ScorersTest.NAME, null));
  }

  static double[] score(PrefixAffinityLoadScorer scorer, List<EndpointState> c, int chosen) {
    SchedulingContext context = Contexts.of("m", PROMPT);
    double[] scores = new double[c.size()];
    scorer.score(context, c, scores);
    if (chosen >= 0) {
      scorer.preRequest(context, new ProfileResult("p", List.of(c.get(chosen))));
    }
    return scores;
  }

  @Test
  void scoresThePrefixMatchUntilTheHolderIsAHotSpot() {
    PrefixAffinityLoadScorer scorer = scorer();
    List<EndpointState> idle = List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0));
    assertThat(score(scorer, idle, 0)).containsExactly(0.0, 0.0);

    List<EndpointState> within = List.of(Endpoints.state(1, 3, 0, 0), Endpoints.state(2, 0, 0, 0));
    assertThat(score(scorer, within, -1)).containsExactly(1.0, 0.0);

    List<EndpointState> beyond = List.of(Endpoints.state(1, 4, 0, 0), Endpoints.state(2, 0, 0, 0));
    assertThat(score(scorer, beyond, 1)).containsExactly(0.0, 0.0);

    // both hold the prefix now and both are within the tolerance of the least loaded one
    List<EndpointState> both = List.of(Endpoints.state(1, 4, 0, 0), Endpoints.state(2, 1, 0, 0));
    assertThat(score(scorer, both, -1)).containsExactly(1.0, 1.0);
  }

  @Test
  void aSaturatedPoolKeepsEveryHolderWhateverTheGap() {
    PrefixAffinityLoadScorer scorer = scorer();
    score(scorer, List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0)), 0);
    // server 1 holds the prefix with 40 waiting; server 2 is cold with 6 waiting: every queue is
    // long already
    assertThat(
            score(scorer, List.of(Endpoints.state(1, 40, 0, 0), Endpoints.state(2, 6, 0, 0)), -1))
        .containsExactly(1.0, 0.0);
    // the same gap with an idle server 2 withholds the score
    assertThat(
            score(scorer, List.of(Endpoints.state(1, 40, 0, 0), Endpoints.state(2, 0, 0, 0)), -1))
        .containsExactly(0.0, 0.0);
  }

  @Test
  void aServerWithAFullKvCacheHasNoRoomForACopy() {
    PrefixAffinityLoadScorer scorer = scorer();
    score(scorer, List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0)), 0);
    // server 2 has no queue but its KV cache is full: a copy of the prefix there would evict other
    // prefixes
    assertThat(
            score(
                scorer, List.of(Endpoints.state(1, 4, 0, 0.9), Endpoints.state(2, 0, 0, 0.85)), -1))
        .containsExactly(1.0, 0.0);
    // a third server with room makes server 1 a hot spot
    assertThat(
            score(
                scorer,
                List.of(
                    Endpoints.state(1, 4, 0, 0.9),
                    Endpoints.state(2, 0, 0, 0.85),
                    Endpoints.state(3, 0, 0, 0.5)),
                -1))
        .containsExactly(0.0, 0.0, 0.0);
  }

  @Test
  void aShortMatchIsNotAffinity() {
    PrefixAffinityLoadScorer scorer = scorer();
    List<EndpointState> idle = List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0));
    SchedulingContext first = Contexts.of("m", "q".repeat(64 * 10) + "x".repeat(64 * 30));
    scorer.score(first, idle, new double[2]);
    scorer.preRequest(first, new ProfileResult("p", List.of(idle.get(0))));
    double[] scores = new double[2];
    scorer.score(Contexts.of("m", "q".repeat(64 * 10) + "y".repeat(64 * 30)), idle, scores);
    assertThat(scores).containsExactly(0.0, 0.0); // 10 of 40 blocks: below the 0.5 threshold
  }

  @Test
  void badParametersNameTheField() {
    assertThatThrownBy(
            () ->
                PrefixAffinityLoadScorer.FACTORY.create(
                    new Parameters(ScorersTest.NAME, new JsonObject().put("saturatedKv", 1.5))))
        .hasMessageContaining("saturatedKv");
    assertThatThrownBy(
            () ->
                PrefixAffinityLoadScorer.FACTORY.create(
                    new Parameters(
                        ScorersTest.NAME, new JsonObject().put("queueTolerance", "lots"))))
        .hasMessageContaining("queueTolerance");
  }
}
