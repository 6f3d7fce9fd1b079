package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.ratelimit.RateLimitOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.MetricsText;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TokenRateLimitPolicy on the HTTPRoute of a bridged pool: the gateway picker's pick API forwards
 * picks for pool {@code q} to a foreign EPP (picker A's ext_proc server over real TLS gRPC) only
 * after admission, answers with the {@code x-ratelimit-*} headers, settles the reservation with the
 * usage of the completion record, and refuses a request over its budget without asking the EPP. The
 * rate limits' clock stands still: a charge is 40 tokens (the 4-byte prompt is 1, max_tokens 39)
 * against 100 per minute.
 */
class BridgedPoolRateLimitTest {
  static final long COLD_START_TIMEOUT_MS = EppBridgeTest.COLD_START_TIMEOUT_MS;
  static final String BODY = "{\"model\":\"base\",\"prompt\":\"abcd\",\"max_tokens\":39}";

  static Vertx vertx;
  static StubModelServer model;
  static PickerServer epp;
  static PickerServer gateway;
  static PickClient client;
  static PickClient eppHttp;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    model = Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("base"));
    epp =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(
                        Manifests.read(
                            Manifests.pool("p", model.port())
                                + Manifests.pod("p-0", "p", "127.0.0.1", true)))
                    .setExtProc(ExtProcPickers.tls())
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(
                        new CollectorOptions().setScrapeIntervalMs(20).setModelsIntervalMs(50))));
    String bridged =
        """
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata: {name: q, namespace: default}
            spec:
              selector: {matchLabels: {app: nothing-here}}
              targetPorts: [{number: 8000}]
              endpointPickerRef: {name: remote-epp, port: {number: %d}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: remote-epp, namespace: default}
            spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: route, namespace: default}
            spec:
              rules:
              - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: q}]
            ---
            apiVersion: gateway.igw.io/v1alpha1
            kind: TokenRateLimitPolicy
            metadata: {name: budgets, namespace: default}
            spec:
              targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: route}]
              rules:
              - name: per-tenant
                match: {tenant: "*"}
                limits: [{tokens: 100, per: Minute}]
            """
            .formatted(epp.extProcPort(), epp.extProcPort());
    gateway =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(bridged))
                    .setExtProc(
                        new ExtProcOptions()
                            .addInsecurePool("default/q")
                            .setPickTimeoutMs(COLD_START_TIMEOUT_MS))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setRateLimit(
                        new RateLimitOptions()
                            .setClock(
                                Clock.fixed(
                                    Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC)))
                    .setCompletionFeed(new CompletionFeedOptions().setPort(0))));
    client = new PickClient(vertx, gateway.port());
    eppHttp = new PickClient(vertx, epp.port());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> eppHttp.pick("default/p", "{\"model\":\"nope\"}").status() == 404);
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.close());
    Await.result(epp.close());
    Await.result(vertx.close());
  }

  static PickClient.Answer pick(String tenant, String requestId) {
    return client.pick(
        "default/q",
        BODY,
        MultiMap.caseInsensitiveMultiMap()
            .add("x-igw-request-id", requestId)
            .add("x-gateway-inference-fairness-id", tenant));
  }

  /** Picks the EPP made: it was asked. */
  static double eppPicks() {
    String text =
        eppHttp
            .send(HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toString();
    return MetricsText.sum(text, "inference_objective_request_total", Map.of());
  }

  static long eppInFlight() {
    JsonObject pools =
        new JsonObject(
            eppHttp
                .send(
                    HttpMethod.GET,
                    "/debug/pools",
                    Buffer.buffer(),
                    MultiMap.caseInsensitiveMultiMap())
                .body()
                .toString());
    return pools.getJsonArray("pools").getJsonObject(0).getJsonArray("endpoints").stream()
        .mapToLong(e -> ((JsonObject) e).getLong("inFlight"))
        .sum();
  }

  /** NGINX's completion record of a request, with the usage the data plane read. */
  static void complete(String requestId, String endpoint, int prompt, int completion)
      throws Exception {
    String line =
        "<190>Nov 28 05:57:09 igw: {\"request_id\":\""
            + requestId
            + "\",\"endpoint\":\""
            + endpoint
            + "\",\"status\":\"200\",\"request_time\":\"0.010\",\"upstream_header_time\":\"0.005\""
            + ",\"usage_prompt\":\""
            + prompt
            + "\",\"usage_completion\":\""
            + completion
            + "\"}";
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      socket.send(
          new DatagramPacket(
              bytes, bytes.length, InetAddress.getLoopbackAddress(), gateway.completionFeedPort()));
    }
  }

  @Test
  void aBridgedPoolIsAdmittedChargedWithTheRealUsageAndRefusedBeforeTheEppIsAsked()
      throws Exception {
    PickClient.Answer first = pick("tenant-a", "rl-1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.firstEndpoint()).isEqualTo("127.0.0.1:" + model.port());
    assertThat(first.headers().get("x-ratelimit-limit-tokens")).isEqualTo("100");
    assertThat(first.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("60");
    assertThat(first.headers().get("x-ratelimit-reset-tokens")).isEqualTo("24s");

    // the answer used 10 tokens, not 40: the reservation gives back 30. The bridge reports the
    // completion to the EPP (its in-flight count drops) in the same hand-over that settles it.
    long inFlight = eppInFlight();
    complete("rl-1", first.firstEndpoint(), 1, 9);
    await().atMost(Duration.ofSeconds(10)).until(() -> eppInFlight() == inFlight - 1);

    PickClient.Answer second = pick("tenant-a", "rl-2");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("50");
    PickClient.Answer third = pick("tenant-a", "rl-3");
    assertThat(third.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("10");

    double asked = eppPicks();
    PickClient.Answer refused = pick("tenant-a", "rl-4");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error().getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(refused.error().getString("type")).isEqualTo("tokens");
    assertThat(refused.headers().get("retry-after")).isEqualTo("18");
    assertThat(refused.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("10");
    assertThat(eppPicks()).isEqualTo(asked);

    PickClient.Answer otherTenant = pick("tenant-b", "rl-5");
    assertThat(otherTenant.status()).isEqualTo(200);
    assertThat(otherTenant.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("60");
    assertThat(eppPicks()).isEqualTo(asked + 1);
  }
}
