package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.manifest.ManifestReader;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.extproc.ExtProcOptions;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The picker's bridge against the test EPP (TLS self-signed, opted out of verification for its
 * pool), over real gRPC sockets, without NGINX: round-robin within the selection header, the EPP's
 * X-Echo-Set-Header relayed as {@code x-igw-set-x-echo-set-header}, a large body through
 * 62,000-byte chunks, the reference EPP's 400/429/503, and the served endpoint reported from a
 * completion record.
 */
class TestEppBridgeTest {
  static final List<String> ENDPOINTS =
      List.of("127.0.3.1:3000", "127.0.3.2:3000", "127.0.3.3:3000");
  static Vertx vertx;
  static TestEpp epp;
  static PickerServer picker;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    epp =
        TestEpp.start(vertx, ENDPOINTS)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    StringBuilder yaml =
        new StringBuilder(
            """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: lw, namespace: default}
        spec:
          selector: {matchLabels: {app: lw}}
          targetPorts: [{number: 3000}]
          endpointPickerRef: {name: lwepp, port: {number: %d}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: lwepp, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        """
                .formatted(epp.port(), epp.port()));
    for (int i = 0; i < ENDPOINTS.size(); i++) {
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: lw-%d, namespace: default, labels: {app: lw}}
          status: {podIP: %s, conditions: [{type: Ready, status: "True"}]}
          """
              .formatted(i, ENDPOINTS.get(i).split(":")[0]));
    }
    picker =
        PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(new ManifestReader().readString("t", yaml.toString()))
                    .setExtProc(
                        new ExtProcOptions().addInsecurePool("default/lw").setPickTimeoutMs(15_000))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(new CollectorOptions().setScrapeIntervalMs(60_000))
                    .setCompletionFeed(new CompletionFeedOptions().setPort(0)))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    picker.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static HttpResponse<String> pick(String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + picker.port()
                        + "/pick?pool="
                        + URLEncoder.encode("default/lw", StandardCharsets.UTF_8)
                        + "&path=%2Fv1%2Fcompletions"
                        + "&method=POST"))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void roundRobinWithinTheSelectionAndTheEchoHeaderRelayed() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> answer =
          pick(
              "{\"model\":\"m\"}",
              Map.of(
                  TestEpp.SELECTION_HEADER,
                  "127.0.3.1,127.0.3.3:3000",
                  "x-igw-request-id",
                  "rr-" + i));
      assertThat(answer.statusCode()).isEqualTo(200);
      String endpoint = answer.headers().firstValue("x-gateway-destination-endpoint").orElseThrow();
      seen.add(endpoint);
      assertThat(answer.headers().firstValue("x-igw-set-x-echo-set-header"))
          .hasValue(TestEpp.SERVED_HEADER + ":" + TestEpp.REQUEST_PHASE);
    }
    assertThat(seen).containsExactlyInAnyOrder("127.0.3.1:3000", "127.0.3.3:3000");
  }

  @Test
  void largeBodyTravelsInChunksBothWays() throws Exception {
    String body = "{\"model\":\"m\",\"prompt\":\"" + "p".repeat(250_000) + "\"}";
    HttpResponse<String> answer = pick(body, Map.of("x-igw-request-id", "big-1"));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("x-igw-body-rewritten")).isEmpty();
  }

  @Test
  void referenceEppRefusalsPassThrough() throws Exception {
    // a body the gateway cannot route by is refused before the foreign EPP is asked (the test EPP
    // would answer invalid_request_error), as for an in-process pool
    HttpResponse<String> invalid = pick("{nope", Map.of());
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(invalid.body()).getJsonObject("error").getString("code"))
        .isEqualTo("invalid_json");
    HttpResponse<String> none =
        pick("{\"model\":\"m\"}", Map.of(TestEpp.SELECTION_HEADER, "127.0.9.9"));
    assertThat(none.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(none.body()).getJsonObject("error").getString("code"))
        .isEqualTo("service_unavailable");
    epp.setSaturated(true);
    try {
      HttpResponse<String> shed =
          pick("{\"model\":\"m\"}", Map.of("x-gateway-inference-objective", "sheddable"));
      assertThat(shed.statusCode()).isEqualTo(429);
      assertThat(new JsonObject(shed.body()).getJsonObject("error").getString("code"))
          .isEqualTo("rate_limit_exceeded");
    } finally {
      epp.setSaturated(false);
    }
  }

  @Test
  void completionRecordReachesTheEppAsTheServedEndpoint() throws Exception {
    HttpResponse<String> answer =
        pick(
            "{\"model\":\"m\"}",
            Map.of(TestEpp.SELECTION_HEADER, "127.0.3.2", "x-igw-request-id", "served-9"));
    assertThat(answer.statusCode()).isEqualTo(200);
    String line =
        "<190>Nov 28 05:57:09 igw: {\"request_id\":\"served-9\",\"endpoint\":\"127.0.3.9:3000, 127.0.3.2:3000\","
            + "\"status\":\"200\",\"request_time\":\"0.010\",\"upstream_header_time\":\"0.005\"}";
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      socket.send(
          new DatagramPacket(
              bytes, bytes.length, InetAddress.getLoopbackAddress(), picker.completionFeedPort()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> epp.served().contains("127.0.3.2:3000"));
  }
}
