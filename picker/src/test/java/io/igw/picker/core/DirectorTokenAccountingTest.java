package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.PolicyResolver;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.PoolResolver;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.testing.Manifests;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a pick does for token accounting: the objective and tenant of its in-flight record, and
 * stream_options.include_usage added (with the strip flag) to streams that lack it, beside a model
 * rewrite.
 */
class DirectorTokenAccountingTest {
  static final PoolName POOL = new PoolName("default", "p");
  static final String POLICIES =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceObjective
      metadata: {name: chat}
      spec: {priority: 10, poolRef: {name: p}}
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModelRewrite
      metadata: {name: split, creationTimestamp: "2025-01-01T00:00:00Z"}
      spec:
        poolRef: {name: p}
        rules:
        - matches: [{model: {type: Exact, value: old}}]
          targets: [{modelRewrite: new, weight: 1}]
      """;

  final InFlightTracker inFlight = new InFlightTracker(60_000);
  int picks;

  Director director(PickOptions options, String poolYaml) {
    List<HasMetadata> resources =
        Manifests.read(poolYaml + Manifests.pod("a", "p", "127.0.10.1", true) + POLICIES);
    Datastore datastore = new Datastore();
    datastore.replaceAll(PoolResolver.resolve(resources));
    datastore.replacePolicies(PolicyResolver.resolve(resources));
    return new Director(datastore, EndpointPickerConfigLoader.preset("default"), inFlight, options);
  }

  Director director() {
    return director(new PickOptions(), Manifests.pool("p", 8000));
  }

  PickResult pick(Director director, String path, String body, Map<String, String> headers) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    var result =
        director.pick(
            new PickRequest(
                POOL, path, "POST", PickBody.of(Buffer.buffer(body)), all, "req-" + ++picks, null));
    return result.result();
  }

  static final Map<String, String> FILTER = Map.of("x-igw-usage-filter", "1");

  @Test
  void aStreamWithoutUsageGetsItAndTheStripFlag() {
    PickResult result =
        pick(
            director(),
            "/v1/chat/completions",
            "{\"model\":\"m\",\"stream\":true,\"messages\":[]}",
            FILTER);
    assertThat(result.usageChunkAdded()).isTrue();
    JsonObject sent = new JsonObject(result.rewrittenBody());
    assertThat(sent.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(sent.getString("model")).isEqualTo("m");
  }

  @Test
  void bothRewritesAtOnceAndTheClientsOtherStreamOptionsKept() {
    PickResult result =
        pick(
            director(),
            "/v1/completions",
            "{\"model\":\"old\",\"stream\":true,\"prompt\":\"x\","
                + "\"stream_options\":{\"continuous_usage_stats\":true,\"other\":1}}",
            FILTER);
    JsonObject sent = new JsonObject(result.rewrittenBody());
    assertThat(sent.getString("model")).isEqualTo("new");
    assertThat(sent.getJsonObject("stream_options").getMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("include_usage", true, "continuous_usage_stats", false, "other", 1));
    assertThat(result.usageChunkAdded()).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/completions|{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        "/v1/completions|{\"model\":\"m\",\"stream\":false}",
        "/v1/completions|{\"model\":\"m\"}",
        "/v1/completions|{\"model\":\"m\",\"stream\":\"true\"}",
        "/v1/completions|{\"model\":\"m\",\"stream\":true,\"stream_options\":\"bad\"}",
        "/v1/completions|{\"model\":\"m\",\"stream\":true,\"stream_options\":null}",
        "/v1/embeddings|{\"model\":\"m\",\"stream\":true,\"input\":\"x\"}",
        "/v1/responses|{\"model\":\"m\",\"stream\":true,\"input\":\"x\"}"
      })
  void nothingAddedWhereTheStreamReportsItselfOrIsNotOne(String path, String body) {
    PickResult result = pick(director(), path, body, FILTER);
    if (body.contains("\"stream_options\":null")) {
      // a null stream_options is an absent one
      assertThat(result.usageChunkAdded()).isTrue();
      return;
    }
    assertThat(result.usageChunkAdded()).isFalse();
    assertThat(result.rewrittenBody()).isNull();
  }

  @Test
  void nothingAddedWithoutTheDataPlanesFilterForH2cPoolsOrWithAccountingOff() {
    String stream = "{\"model\":\"m\",\"stream\":true,\"prompt\":\"x\"}";
    assertThat(pick(director(), "/v1/completions", stream, Map.of()).usageChunkAdded()).isFalse();
    assertThat(
            pick(director(), "/v1/completions", stream, Map.of("x-igw-usage-filter", "yes"))
                .usageChunkAdded())
        .isFalse();
    Director off = director(new PickOptions().setTokenAccounting(false), Manifests.pool("p", 8000));
    assertThat(pick(off, "/v1/completions", stream, FILTER).rewrittenBody()).isNull();
    String h2c =
        Manifests.pool("p", 8000)
            .replace("targetPorts:", "appProtocol: kubernetes.io/h2c\n  targetPorts:");
    assertThat(
            pick(director(new PickOptions(), h2c), "/v1/completions", stream, FILTER)
                .rewrittenBody())
        .isNull();
  }

  @Test
  void theInFlightRecordNamesAKnownObjectiveAndTheTenant() {
    Director director =
        director(new PickOptions().setTenantHeader("x-team"), Manifests.pool("p", 8000));
    pick(
        director,
        "/v1/completions",
        "{\"model\":\"m\",\"prompt\":\"x\"}",
        Map.of("x-gateway-inference-objective", "chat", "x-team", "blue"));
    InFlightTracker.InFlight first = inFlight.completed("req-" + picks);
    assertThat(first.objective()).isEqualTo("chat");
    assertThat(first.tenant()).isEqualTo("blue");
    pick(
        director,
        "/v1/completions",
        "{\"model\":\"m\",\"prompt\":\"x\"}",
        Map.of(
            "x-gateway-inference-objective", "made-up\nvalue",
            "authorization", "Bearer sk-secret"));
    InFlightTracker.InFlight second = inFlight.completed("req-" + picks);
    assertThat(second.objective()).isNull();
    assertThat(second.tenant()).startsWith("key-").doesNotContain("sk-secret");
  }
}
