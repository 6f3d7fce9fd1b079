package io.igw.picker.pick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.core.PickOptions;
import io.igw.picker.flowcontrol.FlowControlledPickService;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.CapturedLog;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.MetricsText;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flow control through the pick API over real sockets: each test has its own pool, whose one stub
 * model server reports a queue of 10 (saturated: 10 / 5 ≥ 1) until the test lowers it.
 */
class FlowControlPickApiTest {
  static final String CONFIG =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha1
      kind: EndpointPickerConfig
      featureGates: [flowControl]
      plugins: [{type: queue-scorer}]
      flowControl:
        defaultRequestTTL: 1500ms
        priorityBands:
        - {priority: -1, maxRequests: 1}
      """;
  static final List<String> POOLS = List.of("order", "ttl", "full", "gone");
  static final String BODY = "{\"model\":\"base\",\"prompt\":\"hi\"}";
  static Vertx vertx;
  static final Map<String, StubModelServer> stubs = new HashMap<>();
  static PickerServer picker;
  static PickClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    StringBuilder yaml = new StringBuilder();
    for (String pool : POOLS) {
      StubModelServer stub =
          Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
              .setMetrics(StubModelServer.vllmMetrics(10, 4, 0.5));
      stubs.put(pool, stub);
      yaml.append(Manifests.pool(pool, stub.port()))
          .append(Manifests.pod(pool + "-0", pool, "127.0.0.1", true))
          .append(objective("critical-" + pool, 10, pool))
          .append(objective("sheddable-" + pool, -1, pool));
    }
    Path config = Files.createTempFile("flow-control", ".yaml");
    Files.writeString(config, CONFIG);
    config.toFile().deleteOnExit();
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml.toString()))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(
                        new CollectorOptions().setScrapeIntervalMs(20).setModelsIntervalMs(50))
                    .setPick(new PickOptions().setSchedulerConfigFile(config.toString()))));
    client = new PickClient(vertx, picker.port());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Pattern.compile("\"waiting\":10")
                        .matcher(
                            client
                                .send(
                                    HttpMethod.GET,
                                    PickApi.POOLS_PATH,
                                    Buffer.buffer(),
                                    MultiMap.caseInsensitiveMultiMap())
                                .body()
                                .toString())
                        .results()
                        .count()
                    == POOLS.size());
  }

  static String objective(String name, int priority, String pool) {
    return """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata: {name: %s, namespace: default}
        spec: {priority: %d, poolRef: {name: %s}}
        ---
        """
        .formatted(name, priority, pool);
  }

  @AfterAll
  static void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  record Timed(PickClient.Answer answer, long atNanos) {}

  static CompletableFuture<Timed> pickAsync(String pool, String objective) {
    return CompletableFuture.supplyAsync(
        () -> {
          PickClient.Answer answer =
              client.pick(
                  "default/" + pool,
                  BODY,
                  MultiMap.caseInsensitiveMultiMap()
                      .add("x-gateway-inference-objective", objective));
          return new Timed(answer, System.nanoTime());
        });
  }

  static double metric(String name, String pool, Map<String, String> labels) {
    String text =
        client
            .send(HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toString();
    Map<String, String> wanted = new java.util.HashMap<>(labels);
    wanted.put("inference_pool", "default/" + pool);
    return MetricsText.sum(text, name, wanted);
  }

  static double queued(String pool) {
    return metric("inference_extension_flow_control_queue_size", pool, Map.of());
  }

  @Test
  void criticalIsDispatchedFirstOnceThePoolHasRoom() {
    java.util.logging.Logger gateLog =
        java.util.logging.Logger.getLogger(FlowControlledPickService.class.getName());
    java.util.logging.Level level = gateLog.getLevel();
    gateLog.setLevel(java.util.logging.Level.FINE);
    try (CapturedLog log = CapturedLog.of(FlowControlledPickService.class)) {
      CompletableFuture<Timed> sheddable = pickAsync("order", "sheddable-order");
      await().atMost(Duration.ofSeconds(5)).until(() -> queued("order") == 1);
      CompletableFuture<Timed> critical = pickAsync("order", "critical-order");
      await().atMost(Duration.ofSeconds(5)).until(() -> queued("order") == 2);
      assertThat(sheddable).isNotDone();
      // 4 waiting: room for exactly one more pick until the next scrape
      stubs.get("order").setMetrics(StubModelServer.vllmMetrics(4, 4, 0.5));

      assertThat(critical.join().answer().status()).isEqualTo(200);
      assertThat(sheddable.join().answer().status()).isEqualTo(200);
      // the order the gate dispatched in (answers may reach the client in either order on a loaded
      // machine)
      assertThat(
              log.messages().stream()
                  .filter(m -> m.startsWith("event=flow_control_dispatched pool=default/order"))
                  .map(m -> m.replaceAll(".* priority=(-?\\d+) .*", "$1"))
                  .toList())
          .containsExactly("10", "-1");
    } finally {
      gateLog.setLevel(level);
    }
    assertThat(
            metric(
                "inference_extension_flow_control_request_queue_duration_seconds_count",
                "order",
                Map.of("outcome", "Dispatched")))
        .isEqualTo(2);
  }

  @Test
  void aRequestPastItsTtlGets503WithAnOpenAiError() {
    long start = System.nanoTime();
    PickClient.Answer answer = pickAsync("ttl", "critical-ttl").join().answer();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.error().getString("code")).isEqualTo("queue_timeout");
    assertThat(answer.error().getString("type")).isEqualTo("service_unavailable");
    assertThat(
            metric(
                "inference_extension_flow_control_request_queue_duration_seconds_count",
                "ttl",
                Map.of("outcome", "EvictedTTL")))
        .isEqualTo(1);
    assertThat(queued("ttl")).isZero();
  }

  @Test
  void aFullBandRefusesWith429() {
    CompletableFuture<Timed> waiting = pickAsync("full", "sheddable-full");
    await().atMost(Duration.ofSeconds(5)).until(() -> queued("full") == 1);
    PickClient.Answer refused = pickAsync("full", "sheddable-full").join().answer();
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(refused.error().getString("message")).contains("queue for priority -1 is full");
    assertThat(waiting).isNotDone();
    assertThat(
            metric(
                "inference_extension_flow_control_request_queue_duration_seconds_count",
                "full",
                Map.of("outcome", "RejectedCapacity")))
        .isEqualTo(1);
    assertThat(waiting.join().answer().status()).isEqualTo(503);
  }

  @Test
  void aClientThatGoesAwayLeavesTheQueue() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", picker.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /pick?pool=default/gone&path=%2Fv1%2Fcompletions&method=POST HTTP/1.1\r\nhost: picker\r\n"
                  + "content-type: application/json\r\ncontent-length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> queued("gone") == 1);
    }
    await().atMost(Duration.ofSeconds(1)).until(() -> queued("gone") == 0);
    assertThat(
            metric(
                "inference_extension_flow_control_request_queue_duration_seconds_count",
                "gone",
                Map.of("outcome", "EvictedContextCancelled")))
        .isEqualTo(1);
    assertThat(
            metric(
                "inference_extension_flow_control_request_queue_duration_seconds_count",
                "gone",
                Map.of("outcome", "EvictedTTL")))
        .isZero();
  }
}
