package io.igw.picker.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.extproc.EppTls;
import io.igw.picker.extproc.ExtProcOptions;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.MetricsText;
import io.igw.picker.testing.PickClient;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay of a picker over real sockets: scripted foreign EPPs on h2c gRPC ({@link ScriptedEpp}),
 * real HTTP model servers on loopback, and the test standing for NGINX (it asks {@code /pick}, then
 * sends the request to the relay with the headers NGINX sets).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseRelayTest {
  static final String BODY = "{\"model\":\"m\",\"prompt\":\"hello\"}";
  static Vertx vertx;
  static ScriptedEpp mutating;
  static ScriptedEpp silent;
  static ScriptedEpp breaking;
  static PickerServer picker;
  static PickClient pick;
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final AtomicInteger requestIds = new AtomicInteger();
  static final AtomicInteger outsideRequests = new AtomicInteger();
  static final AtomicInteger answeredA = new AtomicInteger();
  static volatile Promise<Void> secondEvent = Promise.promise();
  static volatile Promise<Void> hangingClosed = Promise.promise();
  static volatile Promise<Void> serverDies = Promise.promise();
  static int okA;
  static int okB;
  static int closed;
  static int bad502;
  static int sse;
  static int hanging;
  static int dies;
  static int outside;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    mutating = Await.result(ScriptedEpp.start(vertx, ScriptedEpp.Behaviour.MUTATES));
    silent = Await.result(ScriptedEpp.start(vertx, ScriptedEpp.Behaviour.SILENT));
    breaking = Await.result(ScriptedEpp.start(vertx, ScriptedEpp.Behaviour.BREAKS));
    okA = serve((r, body) -> echo(r, body, "A"));
    okB = serve((r, body) -> echo(r, body, "B"));
    bad502 =
        serve(
            (r, body) ->
                r.response()
                    .setStatusCode(502)
                    .putHeader("content-type", "application/json")
                    .end("{\"error\":\"the server's own 502\"}"));
    sse = serve((r, body) -> streamEvents(r));
    hanging =
        serve(
            (r, body) -> {
              r.response().closeHandler(v -> hangingClosed.tryComplete());
              r.response().setChunked(true).write("data: first\n\n");
            });
    dies =
        serve(
            (r, body) -> {
              r.response().setChunked(true).write("data: first\n\n");
              serverDies.future().onComplete(v -> r.connection().close());
            });
    outside =
        serve(
            (r, body) -> {
              outsideRequests.incrementAndGet();
              echo(r, body, "outside");
            });
    HttpServer gone =
        Await.result(vertx.createHttpServer().requestHandler(r -> {}).listen(0, "127.0.0.1"));
    closed = gone.actualPort();
    Await.result(gone.close());
    String yaml =
        pool("relayed", mutating.port())
            + pool("silent", silent.port())
            + pool("broken", breaking.port());
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml))
                    .setExtProc(
                        new ExtProcOptions()
                            .setEppTls(EppTls.PLAINTEXT)
                            .setPickTimeoutMs(15_000)
                            .setServedReportTimeoutMs(300))
                    .setRelay(new RelayOptions().setPort(0))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(new CollectorOptions().setScrapeIntervalMs(60_000))
                    .setCompletionFeed(new CompletionFeedOptions().setPort(0))));
    pick = new PickClient(vertx, picker.port());
  }

  @AfterAll
  static void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  // --- the response phase

  @Test
  void theEppsHeaderMutationReachesTheClientAndTheBodyReachesTheEpp() throws Exception {
    String id = picked("relayed");
    HttpResponse<String> response = relay(id, "relayed", endpoint(okA));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("x-epp-served")).containsExactly(endpoint(okA));
    assertThat(response.headers().allValues("x-replaced")).containsExactly("by-epp");
    assertThat(response.headers().allValues("x-multi")).containsExactly("one", "two");
    assertThat(response.headers().firstValue("x-remove-me")).isEmpty();
    assertThat(response.headers().firstValue("x-bad-value")).isEmpty();
    assertThat(response.headers().firstValue("x-injected")).isEmpty();
    assertThat(response.headers().allValues("x-igw-relay-served")).containsExactly(endpoint(okA));
    assertThat(response.headers().firstValue("connection"))
        .isNotEqualTo(java.util.Optional.of("close"));
    JsonObject echo = new JsonObject(response.body());
    assertThat(echo.getString("server")).isEqualTo("A");
    assertThat(echo.getString("body")).isEqualTo(BODY);
    assertThat(response.headers().firstValue("content-length"))
        .hasValue(Integer.toString(response.body().length()));
    // a bound, not a speed: two test runs at once on 2 cores once took longer than 10 s
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> mutating.seen(id).size() == 1 && mutating.seen(id).get(0).bodyEnded);
    ScriptedEpp.Seen seen = mutating.seen(id).get(0);
    assertThat(seen.served).isEqualTo(endpoint(okA));
    assertThat(seen.headers.get(":status")).isEqualTo("200");
    assertThat(seen.headers.get("x-multi")).isEqualTo("one");
    assertThat(seen.body.toString()).isEqualTo(response.body());
    assertThat(outcomes("applied")).isPositive();
  }

  @Test
  void theModelServerGetsTheRequestWithoutTheRelaysOwnHeaders() throws Exception {
    String id = picked("relayed");
    HttpResponse<String> response =
        relay(
            id,
            "relayed",
            endpoint(okA),
            Map.of("x-client", "kept", "x-igw-relay-other", "dropped"));
    JsonObject headers = new JsonObject(response.body()).getJsonObject("headers");
    assertThat(headers.getString("x-client")).isEqualTo("kept");
    assertThat(headers.fieldNames()).noneMatch(n -> n.startsWith("x-igw-"));
    assertThat(new JsonObject(response.body()).getString("uri"))
        .isEqualTo("/v1/completions?stream=false");
  }

  @Test
  void aRelayedRequestIsNotReportedAgainByItsCompletionRecord() throws Exception {
    String relayed = picked("relayed");
    assertThat(relay(relayed, "relayed", endpoint(okA)).statusCode()).isEqualTo(200);
    completion(relayed, endpoint(okA));
    String reported = picked("relayed");
    completion(reported, endpoint(okB));
    // the feed handles its lines in order: once the second is reported, the first was handled
    await().atMost(Duration.ofSeconds(10)).until(() -> mutating.seen(reported).size() == 1);
    assertThat(mutating.seen(reported).get(0).served).isEqualTo(endpoint(okB));
    assertThat(mutating.seen(relayed)).hasSize(1);
  }

  @Test
  void aSilentEppLeavesTheResponseUnmodified() throws Exception {
    double before = outcomes("timeout");
    HttpResponse<String> response = relay(picked("silent"), "silent", endpoint(okA));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("x-replaced")).containsExactly("by-server");
    assertThat(response.headers().firstValue("x-epp-served")).isEmpty();
    assertThat(new JsonObject(response.body()).getString("body")).isEqualTo(BODY);
    assertThat(outcomes("timeout")).isEqualTo(before + 1);
  }

  @Test
  void aBrokenEppStreamLeavesTheResponseUnmodified() throws Exception {
    double before = outcomes("failed");
    HttpResponse<String> response = relay(picked("broken"), "broken", endpoint(okA));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues("x-remove-me")).containsExactly("yes");
    assertThat(new JsonObject(response.body()).getString("server")).isEqualTo("A");
    assertThat(outcomes("failed")).isEqualTo(before + 1);
  }

  @Test
  void withoutAnOpenStreamTheResponsePassesUnmodified() throws Exception {
    double before = outcomes("no_stream");
    HttpResponse<String> response =
        relay("never-picked-" + requestIds.incrementAndGet(), "relayed", endpoint(okA));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-epp-served")).isEmpty();
    assertThat(outcomes("no_stream")).isEqualTo(before + 1);
  }

  // --- endpoints

  @Test
  void aConnectFailureTriesTheNextEndpoint() throws Exception {
    String id = picked("relayed");
    HttpResponse<String> response = relay(id, "relayed", endpoint(closed) + "," + endpoint(okB));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("server")).isEqualTo("B");
    assertThat(response.headers().allValues("x-epp-served")).containsExactly(endpoint(okB));
    assertThat(response.headers().allValues("x-igw-relay-served")).containsExactly(endpoint(okB));
  }

  @Test
  void noEndpointLeftIs502InTheOpenAiShape() throws Exception {
    HttpResponse<String> response = relay(picked("relayed"), "relayed", endpoint(closed));
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_failed");
    assertThat(response.headers().firstValue("x-igw-relay-served")).isEmpty();
  }

  @Test
  void aStatusTheServerAnsweredPassesAsItIs() throws Exception {
    int before = answeredA.get();
    String id = picked("relayed");
    HttpResponse<String> response = relay(id, "relayed", endpoint(bad502) + "," + endpoint(okA));
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("{\"error\":\"the server's own 502\"}");
    assertThat(answeredA.get())
        .as("the request is not replayed on the next endpoint")
        .isEqualTo(before);
    await().atMost(Duration.ofSeconds(10)).until(() -> mutating.seen(id).size() == 1);
    assertThat(mutating.seen(id).get(0).headers.get(":status")).isEqualTo("502");
  }

  @Test
  void anEndpointOutsideThePoolIsRefused() throws Exception {
    HttpResponse<String> refused = relay(picked("relayed"), "relayed", endpoint(outside));
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("code"))
        .isEqualTo("endpoint_not_in_pool");
    HttpResponse<String> kept =
        relay(picked("relayed"), "relayed", endpoint(outside) + "," + endpoint(okA));
    assertThat(new JsonObject(kept.body()).getString("server")).isEqualTo("A");
    assertThat(outsideRequests.get()).isZero();
  }

  @Test
  void missingRelayHeadersAreAGatewayError() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + picker.relayPort() + "/v1/x"))
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code"))
        .isEqualTo("gateway_misconfigured");
  }

  // --- streams

  @Test
  void serverSentEventsStreamThroughOneByOne() throws Exception {
    secondEvent = Promise.promise();
    String id = picked("relayed");
    HttpResponse<InputStream> response =
        CLIENT.send(
            relayRequest(id, "relayed", endpoint(sse), Map.of()),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().allValues("x-epp-served")).containsExactly(endpoint(sse));
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      // the server sends its second event only once the client has read the first
      assertThat(lines.readLine()).isEqualTo("data: 1");
      secondEvent.tryComplete();
      assertThat(lines.readLine()).isEmpty();
      assertThat(lines.readLine()).isEqualTo("data: 2");
    }
    // a bound, not a speed: two test runs at once on 2 cores once took longer than 10 s
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> mutating.seen(id).size() == 1 && mutating.seen(id).get(0).bodyEnded);
    assertThat(mutating.seen(id).get(0).body.toString())
        .isEqualTo("data: 1\n\ndata: 2\n\ndata: [DONE]\n\n");
  }

  @Test
  void whenNginxGoesAwayTheUpstreamRequestIsCancelled() throws Exception {
    hangingClosed = Promise.promise();
    String id = picked("relayed");
    try (Socket socket = new Socket("127.0.0.1", picker.relayPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/completions HTTP/1.1\r\nhost: gw\r\ncontent-type: application/json\r\n"
                  + "content-length: "
                  + BODY.length()
                  + "\r\nx-igw-request-id: "
                  + id
                  + "\r\nx-igw-relay-pool: default/relayed"
                  + "\r\nx-igw-relay-endpoints: "
                  + endpoint(hanging)
                  + "\r\n\r\n"
                  + BODY)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith("HTTP/1.1 200");
    }
    Await.result(hangingClosed.future());
  }

  @Test
  void whenTheServerGoesAwayMidStreamTheClientsStreamEnds() throws Exception {
    serverDies = Promise.promise();
    HttpResponse<InputStream> response =
        CLIENT.send(
            relayRequest(picked("relayed"), "relayed", endpoint(dies), Map.of()),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream body = response.body()) {
      byte[] first = new byte["data: first\n\n".length()];
      assertThat(body.readNBytes(first, 0, first.length)).isEqualTo(first.length);
      serverDies.tryComplete();
      assertThatThrownBy(body::readAllBytes).isInstanceOf(java.io.IOException.class);
    }
  }

  // --- helpers

  static String pool(String name, int eppPort) {
    String ports =
        String.join(
            ", ",
            List.of(okA, okB, closed, bad502, sse, hanging, dies).stream()
                .map(p -> "{number: " + p + "}")
                .toList());
    return """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: %s}}
          targetPorts: [%s]
          endpointPickerRef: {name: epp-%s, port: {number: %d}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: epp-%s, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        ---
        """
            .formatted(name, name, ports, name, eppPort, name, eppPort)
        + Manifests.pod(name + "-0", name, "127.0.0.1", true);
  }

  /** A model server on a free loopback port that answers once it has the whole request. */
  static int serve(java.util.function.BiConsumer<HttpServerRequest, Buffer> handler) {
    return Await.result(
            vertx
                .createHttpServer()
                .requestHandler(r -> r.body().onSuccess(b -> handler.accept(r, b)))
                .listen(0, "127.0.0.1"))
        .actualPort();
  }

  static void echo(HttpServerRequest r, Buffer body, String server) {
    if ("A".equals(server)) {
      answeredA.incrementAndGet();
    }
    JsonObject headers = new JsonObject();
    r.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
    r.response()
        .putHeader("content-type", "application/json")
        .putHeader("x-multi", "one")
        .putHeader("x-remove-me", "yes")
        .putHeader("x-replaced", "by-server")
        .end(
            new JsonObject()
                .put("server", server)
                .put("uri", r.uri())
                .put("headers", headers)
                .put("body", body.toString())
                .encode());
  }

  static void streamEvents(HttpServerRequest r) {
    r.response()
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .write("data: 1\n\n");
    secondEvent
        .future()
        .onComplete(
            v ->
                r.response()
                    .write("data: 2\n\n")
                    .compose(x -> r.response().end("data: [DONE]\n\n")));
  }

  static String endpoint(int port) {
    return "127.0.0.1:" + port;
  }

  /**
   * Asks the pick API for {@code pool} as NGINX would (so the bridge keeps the stream open); the
   * request id.
   */
  static String picked(String pool) {
    String id = pool + "-" + requestIds.incrementAndGet();
    PickClient.Answer answer =
        pick.pick(
            "default/" + pool,
            BODY,
            MultiMap.caseInsensitiveMultiMap().add("x-igw-request-id", id));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
    return id;
  }

  static HttpResponse<String> relay(String id, String pool, String endpoints) throws Exception {
    return relay(id, pool, endpoints, Map.of());
  }

  static HttpResponse<String> relay(
      String id, String pool, String endpoints, Map<String, String> more) throws Exception {
    return CLIENT.send(
        relayRequest(id, pool, endpoints, more), HttpResponse.BodyHandlers.ofString());
  }

  /** The request as NGINX's relay location sends it. */
  static HttpRequest relayRequest(
      String id, String pool, String endpoints, Map<String, String> more) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + picker.relayPort() + "/v1/completions?stream=false"))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .header("x-igw-request-id", id)
            .header("x-igw-relay-pool", "default/" + pool)
            .header("x-igw-relay-endpoints", endpoints)
            .POST(HttpRequest.BodyPublishers.ofString(BODY));
    more.forEach(request::header);
    return request.build();
  }

  static void completion(String requestId, String endpoint) throws Exception {
    String line =
        "<190>Nov 28 05:57:09 igw: {\"request_id\":\""
            + requestId
            + "\",\"endpoint\":\""
            + endpoint
            + "\",\"status\":\"200\",\"request_time\":\"0.010\",\"upstream_header_time\":\"0.005\"}";
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      socket.send(
          new DatagramPacket(
              bytes, bytes.length, InetAddress.getLoopbackAddress(), picker.completionFeedPort()));
    }
  }

  static double outcomes(String outcome) throws Exception {
    HttpResponse<String> metrics =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + picker.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return MetricsText.sum(
        metrics.body(), "igw_bridge_response_phase_total", Map.of("outcome", outcome));
  }
}
