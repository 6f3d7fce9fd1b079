package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The picker's scheduling, seen from the client through real NGINX and njs. */
class PickerThroughNginxTest {
  private static final String SHARED_PREFIX =
      "You are a helpful assistant for ACME Corp. ".repeat(60);

  @Test
  void aLongSharedPrefixKeepsGoingToTheSameServerUntilItIsLoaded() throws Exception {
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of(), List.of()))
                .simulator(o -> o.setTimeScale(5)))) {
      List<String> servedBy = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        var response =
            Http.post(
                stack.gatewayPort(),
                "/v1/completions",
                new JsonObject()
                    .put("model", BASE_MODEL)
                    .put("prompt", SHARED_PREFIX + "Question " + i)
                    .put("max_tokens", 1)
                    .encode());
        assertThat(response.statusCode()).isEqualTo(200);
        servedBy.add(Http.servedBy(response));
        // sequential as the picker sees them: the completion feed ended this one before the next
        // pick (on a
        // starved machine the feed can lag a request behind, and a request still in flight is load)
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlightAtPicker(stack) == 0);
      }
      // one server holds the prefix: it keeps the requests (one may land elsewhere before the first
      // is indexed)
      Map<String, Long> counts = new HashMap<>();
      servedBy.forEach(s -> counts.merge(s, 1L, Long::sum));
      assertThat(counts.values().stream().mapToLong(Long::longValue).max().orElse(0))
          .isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void aLoadedPrefixHolderSpillsToAnotherServerThatThenSharesThePrefix() throws Exception {
    // one sequence at a time per server: concurrent requests queue at the server holding the prefix
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of(), List.of()))
                .simulator(o -> o.setTimeScale(5).setMaxNumSeqs(1)))) {
      String seed =
          Http.servedBy(Http.post(stack.gatewayPort(), "/v1/completions", completion("Seed", 1)));
      ExecutorService clients = Executors.newFixedThreadPool(12);
      try {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          String body = completion("Question " + i, 200);
          answers.add(
              clients.submit(
                  () -> {
                    var response =
                        Http.post(
                            stack.gatewayPort(),
                            "/v1/completions",
                            body,
                            Map.of(),
                            Duration.ofSeconds(60));
                    assertThat(response.statusCode()).isEqualTo(200);
                    return Http.servedBy(response);
                  }));
          Thread.sleep(20); // picks in arrival order, each counted before the next
        }
        Map<String, Long> counts = new HashMap<>();
        for (Future<String> answer : answers) {
          counts.merge(answer.get(), 1L, Long::sum);
        }
        // the holder takes requests until its queue passes the tolerance (2 + 40 blocks / 32), then
        // others share
        assertThat(counts.getOrDefault(seed, 0L)).isGreaterThanOrEqualTo(3);
        assertThat(counts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(counts.getOrDefault(seed, 0L)).isLessThan(12);
      } finally {
        clients.shutdownNow();
      }
    }
  }

  private static long inFlightAtPicker(GatewayStack stack) throws Exception {
    JsonObject pools =
        new JsonObject(Http.get("http://127.0.0.1:" + stack.pickerPort() + "/debug/pools").body());
    return pools.getJsonArray("pools").stream()
        .map(JsonObject.class::cast)
        .flatMap(p -> p.getJsonArray("endpoints").stream().map(JsonObject.class::cast))
        .mapToLong(e -> e.getLong("inFlight", 0L))
        .sum();
  }

  private static String completion(String question, int maxTokens) {
    return new JsonObject()
        .put("model", BASE_MODEL)
        .put("prompt", SHARED_PREFIX + question)
        .put("max_tokens", maxTokens)
        .put("ignore_eos", true)
        .encode();
  }

  @Test
  void sheddableRequestsGet429WhileThePoolIsSaturatedAndCriticalOnesAreServed() throws Exception {
    String objectives =
        """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata: {name: batch, namespace: default}
        spec: {priority: -1, poolRef: {group: inference.networking.k8s.io, name: pool}}
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata: {name: chat, namespace: default}
        spec: {priority: 10, poolRef: {group: inference.networking.k8s.io, name: pool}}
        """;
    // one request at a time, 10x faster than real time: the queue of 20 long requests drains in
    // seconds
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of()))
                .simulator(o -> o.setMaxNumSeqs(1).setTimeScale(10))
                .manifests(objectives))) {
      String request = Http.completion(BASE_MODEL, 1);
      assertThat(
              Http.post(
                      stack.gatewayPort(),
                      "/v1/completions",
                      request,
                      Map.of("x-gateway-inference-objective", "batch"))
                  .statusCode())
          .as("not saturated yet")
          .isEqualTo(200);
      saturate(stack.serverAddress(0), 20, 300);
      // until the picker has scraped the queue, a batch request is still admitted and waits behind
      // it: give up on it
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(java.net.http.HttpTimeoutException.class)
          .untilAsserted(
              () -> {
                var shed =
                    Http.post(
                        stack.gatewayPort(),
                        "/v1/completions",
                        request,
                        Map.of("x-gateway-inference-objective", "batch"),
                        Duration.ofSeconds(2));
                assertThat(shed.statusCode()).isEqualTo(429);
                assertThat(Http.openAiError(shed).getString("code"))
                    .isEqualTo("rate_limit_exceeded");
              });
      HttpResponse<String> critical =
          Http.post(
              stack.gatewayPort(),
              "/v1/completions",
              request,
              Map.of("x-gateway-inference-objective", "chat"),
              Duration.ofSeconds(60));
      assertThat(critical.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aWeightedModelRewriteSplitsTrafficWithinTolerance() throws Exception {
    String rewrite =
        """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModelRewrite
        metadata: {name: rollout, namespace: default}
        spec:
          poolRef: {group: inference.networking.k8s.io, name: pool}
          rules:
          - matches: [{model: {type: Exact, value: food-review}}]
            targets: [{modelRewrite: food-review-1, weight: 90}, {modelRewrite: food-review-2, weight: 10}]
        """;
    List<String> adapters = List.of("food-review-1", "food-review-2");
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(adapters, adapters))
                .simulator(o -> o.setTimeScale(20).setMaxLoras(2))
                .manifests(rewrite))) {
      int total = 1000;
      Map<String, AtomicInteger> byModel = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          futures.add(
              pool.submit(
                  () -> {
                    var response =
                        Http.post(
                            stack.gatewayPort(),
                            "/v1/completions",
                            Http.completion("food-review", 1));
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    byModel
                        .computeIfAbsent(
                            new JsonObject(response.body()).getString("model"),
                            k -> new AtomicInteger())
                        .incrementAndGet();
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(byModel).containsOnlyKeys("food-review-1", "food-review-2");
      double share = byModel.get("food-review-1").get() / (double) total;
      assertThat(share).isBetween(0.86, 0.94);
    }
  }

  @Test
  void aServerThatFailsBeforeAnsweringIsReplacedByTheNextOfTheList() throws Exception {
    try (GatewayStack stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of()))
                .perServer(
                    (i, o) -> i == 0 ? o.setFaults(new JsonObject().put("dropRate", 1.0)) : o))) {
      for (int i = 0; i < 20; i++) {
        var response =
            Http.post(
                stack.gatewayPort(),
                "/v1/completions",
                new JsonObject()
                    .put("model", BASE_MODEL)
                    .put("prompt", "q" + i + " ".repeat(i))
                    .put("max_tokens", 1)
                    .encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.servedBy(response)).isEqualTo("server-1");
      }
      // the picker did send some of them to server 0 first: NGINX walked down the list
      assertThat(stack.errorLog())
          .contains("endpoint failed, trying next endpoint=" + stack.serverAddress(0));
    }
  }

  /** Long requests straight to a server, so its queue fills up. */
  private static List<CompletableFuture<?>> saturate(String address, int count, int maxTokens) {
    HttpClient client = HttpClient.newHttpClient();
    String longRequest = Http.completion(BASE_MODEL, maxTokens);
    List<CompletableFuture<?>> load = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      load.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create("http://" + address + "/v1/completions"))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(longRequest))
                  .build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    return load;
  }
}
