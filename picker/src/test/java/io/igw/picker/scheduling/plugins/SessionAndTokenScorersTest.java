package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.testing.Contexts;
import io.igw.picker.testing.Endpoints;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionAndTokenScorersTest {
  static final TypedName NAME = new TypedName("t", "t");

  private static double[] score(
      io.igw.picker.scheduling.Scorer scorer,
      SchedulingContext context,
      List<EndpointState> candidates) {
    double[] scores = new double[candidates.size()];
    scorer.score(context, candidates, scores);
    return scores;
  }

  @Test
  void tokenLoadPrefersTheServerWithLessPromptWorkInFlight() {
    List<EndpointState> c =
        List.of(
            Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0), Endpoints.state(3, 0, 0, 0));
    assertThat(score(new TokenLoadScorer(NAME), Contexts.of(null, null), c))
        .containsExactly(1.0, 1.0, 1.0);
    c.get(0).startRequest(8000); // one long prompt
    for (int i = 0; i < 10; i++) {
      c.get(1).startRequest(100); // ten short ones
    }
    assertThat(score(new TokenLoadScorer(NAME), Contexts.of(null, null), c))
        .containsExactly(0.0, 0.875, 1.0);
    // the active-request scorer sees the opposite: one request against ten
    assertThat(score(new ActiveRequestScorer(NAME), Contexts.of(null, null), c))
        .containsExactly(0.9, 0.0, 1.0);
    c.get(0).endRequest(8000);
    assertThat(c.get(0).tokensInFlight()).isZero();
    c.get(0).endRequest(8000);
    assertThat(c.get(0).tokensInFlight()).as("never negative").isZero();
  }

  @Test
  void aSessionSticksToTheEndpointThatServedItUntilItExpires() {
    SessionAffinityScorer scorer = new SessionAffinityScorer(NAME, "x-session-id", 2, 1000);
    List<EndpointState> c = List.of(Endpoints.state(1, 0, 0, 0), Endpoints.state(2, 0, 0, 0));
    SchedulingContext first = Contexts.of(null, null, Map.of("x-session-id", "conv-1"), 0);
    assertThat(score(scorer, first, c)).containsExactly(0.0, 0.0);
    scorer.preRequest(first, new ProfileResult("default", List.of(c.get(1))));

    assertThat(score(scorer, Contexts.of(null, null, Map.of("x-session-id", "conv-1"), 500), c))
        .containsExactly(0.0, 1.0);
    assertThat(score(scorer, Contexts.of(null, null, Map.of("x-session-id", "other"), 500), c))
        .containsExactly(0.0, 0.0);
    assertThat(score(scorer, Contexts.of(null, null, Map.of(), 500), c)).containsExactly(0.0, 0.0);
    assertThat(score(scorer, Contexts.of(null, null, Map.of("x-session-id", "conv-1"), 1500), c))
        .as("expired")
        .containsExactly(0.0, 0.0);
  }

  @Test
  void sessionsAreBounded() {
    SessionAffinityScorer scorer = new SessionAffinityScorer(NAME, "x-session-id", 2, 60_000);
    List<EndpointState> c = List.of(Endpoints.state(1, 0, 0, 0));
    for (int i = 0; i < 100; i++) {
      SchedulingContext ctx = Contexts.of(null, null, Map.of("x-session-id", "s" + i), i);
      scorer.preRequest(ctx, new ProfileResult("default", c));
    }
    assertThat(scorer.sessions()).isEqualTo(2);
    SchedulingContext hostile =
        Contexts.of(null, null, Map.of("x-session-id", "x".repeat(10_000)), 0);
    scorer.preRequest(hostile, new ProfileResult("default", c));
    assertThat(scorer.sessions()).isEqualTo(2);
  }

  @Test
  void bothAreConfigurableByType() {
    var config =
        new EndpointPickerConfigLoader(io.igw.picker.scheduling.config.PluginRegistry.builtIn())
            .load(
                """
        apiVersion: inference.networking.x-k8s.io/v1alpha1
        kind: EndpointPickerConfig
        plugins:
        - {type: token-load-scorer}
        - {type: session-affinity-scorer, parameters: {headerName: x-conversation, ttlSeconds: 60}}
        - {type: max-score-picker}
        schedulingProfiles:
        - name: default
          plugins: [{pluginRef: token-load-scorer, weight: 1}, {pluginRef: session-affinity-scorer, weight: 5},
                    {pluginRef: max-score-picker}]
        """);
    assertThat(config).isNotNull();
  }
}
