package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixAffinityLoadScorerTest {
  static final String PROMPT = "p".repeat(64 * 32);   // 32 blocks: tolerance 2 + 32/32 = 3 requests

  double[] score(PrefixAffinityLoadScorer scorer, List<EndpointState> c, int chosen) {
    SchedulingContext context = Contexts.of("m", PROMPT);
    double[] scores = new double[c.size()];
    scorer.score(context, c, scores);
    if (chosen >= 0) {
      scorer.preRequest(context, new ProfileResult("p", List.of(c.get(chosen))));
    }
    return scores;
  }

  @Test
  void sticksToThePrefixUntilItsLoadPassesTheTolerance() {
    var scorer = (PrefixAffinityLoadScorer) PrefixAffinityLoadScorer.FACTORY.create(
        new io.igw.picker.scheduling.config.Parameters(ScorersTest.NAME, null));
    List<EndpointState> idle = List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0));
    assertThat(score(scorer, idle, 0)).containsExactly(0.5, 0.5);

    List<EndpointState> within = List.of(Endpoints.state(1, 3, 0, 0), Endpoints.state(2, 0, 0, 0));
    double[] sticky = score(scorer, within, -1);
    assertThat(sticky[0]).isEqualTo(1.0);
    assertThat(sticky[1]).isEqualTo(0.5);

    List<EndpointState> beyond = List.of(Endpoints.state(1, 4, 0, 0), Endpoints.state(2, 0, 0, 0));
    double[] spilled = score(scorer, beyond, 1);
    assertThat(spilled[0]).isEqualTo(0.0);
    assertThat(spilled[1]).isEqualTo(0.5);

    // both hold the prefix now: the less loaded of the sticky ones is not penalised, the other falls back to load
    List<EndpointState> both = List.of(Endpoints.state(1, 4, 0, 0), Endpoints.state(2, 1, 0, 0));
    double[] spread = score(scorer, both, -1);
    assertThat(spread[0]).isEqualTo(1.0);
    assertThat(spread[1]).isEqualTo(1.0);
  }

  @Test
  void aSaturatedPoolStaysStickyWhateverTheGap() {
    var scorer = (PrefixAffinityLoadScorer) PrefixAffinityLoadScorer.FACTORY.create(
        new io.igw.picker.scheduling.config.Parameters(ScorersTest.NAME, null));
    List<EndpointState> idle = List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0));
    score(scorer, idle, 0);
    // server 1 holds the prefix with 40 waiting; server 2 is cold with 6 waiting: every queue is long already
    List<EndpointState> saturated = List.of(Endpoints.state(1, 40, 0, 0), Endpoints.state(2, 6, 0, 0));
    double[] scores = score(scorer, saturated, -1);
    assertThat(scores[0]).isEqualTo(1.0);
    assertThat(scores[1]).isLessThan(scores[0]);
    // the same gap with an idle server 2 spills as before
    List<EndpointState> notSaturated = List.of(Endpoints.state(1, 40, 0, 0), Endpoints.state(2, 0, 0, 0));
    assertThat(score(scorer, notSaturated, -1)[0]).isEqualTo(0.0);
  }
}
