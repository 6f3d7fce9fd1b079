package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.testing.TestCertificates;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.lifecycle.CompletionFeedOptions;
import io.igw.picker.metrics.CollectorOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge against igw's own ext_proc server over real TLS gRPC sockets: picker B's pick API
 * forwards picks for pool {@code q} (endpointPickerRef → Service {@code remote-epp}) to picker A's
 * ext_proc server, which picks in its pool {@code p}. Pool {@code v} names the same EPP but keeps
 * certificate verification (and fails: A's certificate is self-signed); picker C trusts A's
 * certificate and verifies it.
 */
class EppBridgeTest {
  /** The first TLS connection of a cold JVM on a busy 2-core machine can take seconds. */
  static final long COLD_START_TIMEOUT_MS = 15_000;

  static Vertx vertx;
  static StubModelServer s1;
  static StubModelServer s2;
  static PickerServer epp;
  static PickerServer gateway;
  static PickerServer verifying;
  static PickClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    s1 =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setModels(List.of("base", "lora-a"));
    s2 =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setModels(List.of("base", "lora-a"));
    epp =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(
                        Manifests.read(
                            Manifests.pool("p", s1.port(), s2.port())
                                + Manifests.pod("p-0", "p", "127.0.0.1", true)
                                + ExtProcServerTestRewrite.YAML))
                    .setExtProc(ExtProcPickers.tls())
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setCollector(
                        new CollectorOptions().setScrapeIntervalMs(20).setModelsIntervalMs(50))));
    String bridged =
        bridgedPool("q")
            + bridgedPool("v")
            + """
        apiVersion: v1
        kind: Service
        metadata: {name: remote-epp, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        """
                .formatted(epp.extProcPort());
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
                    .setCompletionFeed(new CompletionFeedOptions().setPort(0))));
    verifying =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(bridged))
                    .setExtProc(
                        new ExtProcOptions()
                            .setEppTrustPath(
                                TestCertificates.selfSigned("test-epp").cert().toString())
                            .setPickTimeoutMs(COLD_START_TIMEOUT_MS))
                    .setPickApi(new PickApiOptions().setPort(0))));
    client = new PickClient(vertx, gateway.port());
    PickClient direct = new PickClient(vertx, epp.port());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> direct.pick("default/p", "{\"model\":\"nope\"}").status() == 404);
  }

  static String bridgedPool(String name) {
    return """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: nothing-here}}
          targetPorts: [{number: 8000}]
          endpointPickerRef: {name: remote-epp, port: {number: %d}}
        ---
        """
        .formatted(name, epp.extProcPort());
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.close());
    Await.result(verifying.close());
    Await.result(epp.close());
    Await.result(vertx.close());
  }

  static MultiMap requestId(String id) {
    return MultiMap.caseInsensitiveMultiMap().add("x-igw-request-id", id);
  }

  @Test
  void picksThroughTheBridgeWithTheBodyUnchanged() {
    PickClient.Answer answer =
        client.pick("default/q", "{\"model\":\"base\",\"prompt\":\"hi\"}", requestId("b-1"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.endpoint().split(","))
        .containsExactlyInAnyOrder("127.0.0.1:" + s1.port(), "127.0.0.1:" + s2.port());
    assertThat(answer.headers().get("x-igw-body-rewritten")).isNull();
    assertThat(answer.headers().names())
        .noneMatch(n -> n.toLowerCase().startsWith("x-igw-set-content-length"));
  }

  @Test
  void rewrittenLargeBodyComesBackWhole() {
    String prompt = "y".repeat(300_000);
    PickClient.Answer answer =
        client.pick(
            "default/q", "{\"model\":\"alias\",\"prompt\":\"" + prompt + "\"}", requestId("b-2"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers().get("x-igw-body-rewritten")).isEqualTo("true");
    JsonObject body = new JsonObject(answer.body());
    assertThat(body.getString("model")).isEqualTo("lora-a");
    assertThat(body.getString("prompt")).isEqualTo(prompt);
  }

  @Test
  void bodylessRequestIsPicked() {
    assertThat(client.pick("default/q", null, requestId("b-3")).status()).isEqualTo(200);
  }

  @Test
  void immediateResponseBecomesTheAnswer() {
    PickClient.Answer answer = client.pick("default/q", "{not json", requestId("b-4"));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  void subsetHintGoesToTheEpp() {
    String only = "127.0.0.1:" + s2.port();
    GrpcStreamsBridge.Result picked =
        GrpcStreamsBridge.pick(vertx, epp.extProcPort(), Set.of(only));
    assertThat(picked.answer().endpoints()).first().isEqualTo(only);
    picked.exchange().cancel();
    assertThat(
            GrpcStreamsBridge.pick(vertx, epp.extProcPort(), Set.of("127.1.11.1:1"))
                .answer()
                .status())
        .isEqualTo(503);
  }

  @Test
  void completionRecordReportsTheServedEndpointAndEndsTheStream() throws Exception {
    long before = ExtProcServerTest.inFlight(epp);
    PickClient.Answer answer =
        client.pick("default/q", "{\"model\":\"base\"}", requestId("served-1"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(ExtProcServerTest.inFlight(epp)).isEqualTo(before + 1);
    String line =
        "<190>Nov 28 05:57:09 igw: {\"request_id\":\"served-1\",\"endpoint\":\""
            + answer.firstEndpoint()
            + "\",\"status\":\"200\",\"request_time\":\"0.010\",\"upstream_header_time\":\"0.005\"}";
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      socket.send(
          new DatagramPacket(
              bytes, bytes.length, InetAddress.getLoopbackAddress(), gateway.completionFeedPort()));
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(ExtProcServerTest.inFlight(epp)).isEqualTo(before));
  }

  @Test
  void certificateVerificationIsOnUnlessOptedOutPerPool() {
    assertThat(client.pick("default/v", "{\"model\":\"base\"}", requestId("v-1")).status())
        .isEqualTo(502);
    assertThat(
            new PickClient(vertx, verifying.port())
                .pick("default/v", "{\"model\":\"base\"}", requestId("v-2"))
                .status())
        .isEqualTo(200);
  }
}
