package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.datastore.PolicyResolver;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.PoolResolver;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.scheduling.config.PluginRegistry;
import io.igw.picker.testing.Manifests;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DirectorTest {
  static final long NOW = 1_000_000;
  static final PoolName POOL = new PoolName("default", "p");
  static final String POLICIES =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceObjective
      metadata: {name: batch}
      spec: {priority: -5, poolRef: {name: p}}
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceObjective
      metadata: {name: chat}
      spec: {priority: 10, poolRef: {name: p}}
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModel
      metadata: {name: review, creationTimestamp: "2025-01-01T00:00:00Z"}
      spec:
        modelName: food-review
        criticality: Sheddable
        poolRef: {name: p}
        targetModels: [{name: food-review-1, weight: 90}, {name: food-review-2, weight: 10}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModel
      metadata: {name: review-late, creationTimestamp: "2025-06-01T00:00:00Z"}
      spec: {modelName: food-review, criticality: Critical, poolRef: {name: p}}
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModelRewrite
      metadata: {name: catch-all, creationTimestamp: "2024-01-01T00:00:00Z"}
      spec:
        poolRef: {name: p}
        rules: [{targets: [{modelRewrite: fallback-model}]}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModelRewrite
      metadata: {name: lora-split, creationTimestamp: "2025-01-01T00:00:00Z"}
      spec:
        poolRef: {name: p}
        rules:
        - matches: [{model: {type: Exact, value: small-lora}}]
          targets: [{modelRewrite: small-lora-v1, weight: 70}, {modelRewrite: small-lora-v2, weight: 30}]
      """;

  /**
   * The upstream weights with igw's queue estimate (waiting plus unreported picks) and LoRA
   * affinity: the director's accounting of picks between scrapes shows in where a burst goes.
   */
  static final String SCHEDULER =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha1
      kind: EndpointPickerConfig
      plugins:
      - {type: queue-scorer, parameters: {countPendingPicks: true}}
      - {type: kv-cache-utilization-scorer}
      - {type: prefix-cache-scorer}
      - {type: lora-affinity-scorer}
      - {type: max-score-picker, parameters: {maxNumOfEndpoints: 3}}
      - {type: utilization-detector}
      schedulingProfiles:
      - name: p
        plugins:
        - {pluginRef: queue-scorer, weight: 2}
        - {pluginRef: kv-cache-utilization-scorer, weight: 2}
        - {pluginRef: prefix-cache-scorer, weight: 3}
        - {pluginRef: lora-affinity-scorer, weight: 1}
        - {pluginRef: max-score-picker}
      saturationDetector: {pluginRef: utilization-detector}
      """;

  final Datastore datastore = new Datastore();
  Director director;
  int picks;

  void setUp(String extraPolicies) {
    List<HasMetadata> resources =
        Manifests.read(
            Manifests.pool("p", 8000)
                + Manifests.pod("a", "p", "127.0.10.1", true)
                + Manifests.pod("b", "p", "127.0.10.2", true)
                + extraPolicies);
    datastore.replaceAll(PoolResolver.resolve(resources));
    datastore.replacePolicies(PolicyResolver.resolve(resources));
    director =
        new Director(
            datastore,
            new EndpointPickerConfigLoader(PluginRegistry.builtIn()).load(SCHEDULER),
            new InFlightTracker(60_000),
            new PickOptions()
                .setClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .setRandom(RandomSource.of(new SplittableRandom(1)))
                .setStaleAfterMs(2000)
                .setMaxEndpointsPerPick(3));
  }

  void load(long waiting, double kv) {
    for (EndpointState e : datastore.pool(POOL).endpoints()) {
      e.recordScrape(
          new MetricsSnapshot(waiting, 0, kv, Set.of(), Set.of(), 0, 16, 100, NOW, 0),
          e.picksIssued());
    }
  }

  PickResult pick(String body, String objective) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (objective != null) {
      headers.add("X-Gateway-Inference-Objective", objective);
    }
    return pickNow(
        new PickRequest(
            POOL,
            "/v1/completions",
            "POST",
            body == null ? null : PickBody.of(Buffer.buffer(body)),
            headers,
            "req-" + ++picks,
            null));
  }

  /** The director's futures are complete when returned: the result, or its failure thrown. */
  PickResult pickNow(PickRequest request) {
    Future<PickResult> result = director.pick(request);
    assertThat(result.isComplete()).isTrue();
    if (result.failed()) {
      throw (RuntimeException) result.cause();
    }
    return result.result();
  }

  @Test
  void aReleasedPickEndsItsInFlightCount() {
    setUp("");
    PickRequest request =
        new PickRequest(
            POOL,
            "/v1/completions",
            "POST",
            PickBody.of(new JsonObject("{\"model\":\"m\"}")),
            MultiMap.caseInsensitiveMultiMap(),
            "req-gone",
            null);
    pickNow(request);
    assertThat(datastore.pool(POOL).endpoints().stream().mapToInt(EndpointState::inFlight).sum())
        .isEqualTo(1);
    director.release(request);
    assertThat(datastore.pool(POOL).endpoints().stream().mapToInt(EndpointState::inFlight).sum())
        .isZero();
  }

  @Test
  void endpointsWhoseScrapesFailTooLongAreLeftOutUnlessAllAre() {
    setUp("");
    load(0, 0.1);
    List<EndpointState> endpoints = datastore.pool(POOL).endpoints();
    endpoints.get(0).recordScrapeFailure(NOW - 5000);
    for (int i = 0; i < 5; i++) {
      assertThat(pick("{\"model\":\"m\"}", null).endpoints()).containsExactly("127.0.10.2:8000");
    }
    // scrapes failing everywhere say more about the picker than the servers: all stay candidates
    endpoints.get(1).recordScrapeFailure(NOW - 5000);
    assertThat(pick("{\"model\":\"m\"}", null).endpoints())
        .containsExactlyInAnyOrder("127.0.10.1:8000", "127.0.10.2:8000");
  }

  @Test
  void shedsNegativePriorityOnlyWhileSaturated() {
    setUp(POLICIES.substring(0, POLICIES.indexOf("---", POLICIES.indexOf("name: chat"))));
    load(10, 0.9);
    assertThatThrownBy(() -> pick("{\"model\":\"m\"}", "batch"))
        .isInstanceOfSatisfying(PickFailure.class, f -> assertThat(f.status()).isEqualTo(429));
    assertThat(pick("{\"model\":\"m\"}", "chat").endpoints()).hasSize(2);
    assertThat(pick("{\"model\":\"m\"}", null).endpoints()).hasSize(2);
    assertThat(pick("{\"model\":\"m\"}", "unknown-objective").endpoints()).hasSize(2);
    load(0, 0.1);
    assertThat(pick("{\"model\":\"m\"}", "batch").endpoints()).hasSize(2);
  }

  @Test
  void inferenceModelGivesCriticalityAndWeightedTargetsOldestWins() {
    setUp(POLICIES);
    load(10, 0.9);
    assertThatThrownBy(() -> pick("{\"model\":\"food-review\"}", null))
        .isInstanceOfSatisfying(
            PickFailure.class, f -> assertThat(f.code()).isEqualTo("rate_limit_exceeded"));
    load(0, 0.1);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      load(0, 0.1); // a fresh scrape: the servers have seen every pick so far
      PickResult result = pick("{\"model\":\"food-review\",\"prompt\":\"hi\"}", null);
      counts.merge(result.targetModel(), 1, Integer::sum);
      assertThat(result.rewrittenBody().toJsonObject())
          .isEqualTo(new JsonObject().put("model", result.targetModel()).put("prompt", "hi"));
    }
    assertThat(counts.get("food-review-1")).isBetween(860, 940);
    assertThat(counts.get("food-review-2")).isBetween(60, 140);
  }

  @Test
  void exactRewriteBeatsCatchAllAndSplitsByWeight() {
    setUp(POLICIES);
    load(0, 0.1);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      counts.merge(pick("{\"model\":\"small-lora\"}", null).targetModel(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("small-lora-v1", "small-lora-v2");
    assertThat(counts.get("small-lora-v1")).isBetween(650, 750);
    // a catch-all rewrite takes what no exact rule or InferenceModel names
    assertThat(pick("{\"model\":\"anything\"}", null).targetModel()).isEqualTo("fallback-model");
  }

  @Test
  void noRewriteMeansNoBodyAndBodylessGetsADefaultPick() {
    setUp("");
    load(0, 0.1);
    PickResult plain = pick("{\"model\":\"m\"}", null);
    assertThat(plain.rewrittenBody()).isNull();
    assertThat(plain.targetModel()).isEqualTo("m");
    PickResult bodyless = pick(null, null);
    assertThat(bodyless.endpoints()).hasSize(2);
    assertThat(bodyless.targetModel()).isNull();
  }

  @Test
  void burstsBetweenScrapesSpreadByUnreportedPicks() {
    setUp("");
    List<EndpointState> endpoints = datastore.pool(POOL).endpoints();
    endpoints
        .get(0)
        .recordScrape(new MetricsSnapshot(0, 1, 0.1, Set.of(), Set.of(), 0, 16, 100, NOW, 0), 0);
    endpoints
        .get(1)
        .recordScrape(new MetricsSnapshot(10, 4, 0.9, Set.of(), Set.of(), 0, 16, 100, NOW, 0), 0);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      counts.merge(
          pick("{\"model\":\"m\",\"prompt\":\"distinct " + i + "\"}", null).endpoints().get(0),
          1,
          Integer::sum);
    }
    // idle (0 waiting) takes picks until its unreported picks pass the loaded server's 10 waiting;
    // with queue 2 and
    // kv 2 (0.1 vs 0.9 use) it keeps 11, then the two alternate: 15 to 5
    assertThat(counts).containsEntry("127.0.10.1:8000", 15).containsEntry("127.0.10.2:8000", 5);
  }

  @Test
  void theGatewaysSubsetHintLimitsTheCandidates() {
    setUp("");
    load(0, 0.1);
    PickResult result =
        pickNow(
            new PickRequest(
                POOL,
                "/v1/completions",
                "POST",
                PickBody.of(new JsonObject().put("model", "m")),
                MultiMap.caseInsensitiveMultiMap(),
                "r",
                Set.of("127.0.10.2:8000", "9.9.9.9:1")));
    assertThat(result.endpoints()).containsExactly("127.0.10.2:8000");
    assertThatThrownBy(
            () ->
                pickNow(
                    new PickRequest(
                        POOL,
                        "/v1/completions",
                        "POST",
                        PickBody.of(new JsonObject().put("model", "m")),
                        MultiMap.caseInsensitiveMultiMap(),
                        "r2",
                        Set.of("9.9.9.9:1"))))
        .isInstanceOfSatisfying(PickFailure.class, f -> assertThat(f.status()).isEqualTo(503));
  }

  @Test
  void aSubsetHeaderFromTheClientRestrictsNothing() {
    setUp("");
    load(0, 0.1);
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap().add(Director.SUBSET_HINT_HEADER, "9.9.9.9:1");
    PickResult result =
        pickNow(
            new PickRequest(
                POOL,
                "/v1/completions",
                "POST",
                PickBody.of(new JsonObject().put("model", "m")),
                headers,
                "r",
                null));
    assertThat(result.endpoints()).contains("127.0.10.1:8000", "127.0.10.2:8000");
  }

  @Test
  void unknownPoolAndAPoolWithoutEndpoints() {
    setUp("");
    assertThatThrownBy(
            () ->
                pickNow(
                    new PickRequest(
                        new PoolName("x", "y"),
                        "/",
                        "GET",
                        null,
                        MultiMap.caseInsensitiveMultiMap(),
                        null,
                        null)))
        .isInstanceOfSatisfying(
            PickFailure.class, f -> assertThat(f.code()).isEqualTo("pool_not_found"));
    datastore.upsert(new io.igw.picker.datastore.PoolDefinition(POOL, null, List.of()));
    assertThatThrownBy(() -> pick("{\"model\":\"m\"}", null))
        .isInstanceOfSatisfying(PickFailure.class, f -> assertThat(f.status()).isEqualTo(503));
  }
}
