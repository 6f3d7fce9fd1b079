package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.net.TestPorts;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A foreign EPP (the test EPP over ext_proc, through the picker's bridge) that names endpoints
 * outside its pool, through real NGINX in local mode: nothing is proxied there and nothing
 * connects. The non-loopback value is sent only after a loopback trap proved the refusal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignEppOutsidePoolTest {
  private static final String POD_IP = "127.0.0.61";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private LocalModeStack stack;
  private TestEpp epp;
  private ConnectionTrap trap;
  private int gatewayPort;
  private String podEndpoint;

  @BeforeAll
  void start() throws Exception {
    stack = new LocalModeStack();
    gatewayPort = TestPorts.take();
    int backendPort =
        EchoServer.start(stack.vertx, POD_IP, 0, "pod-0")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    podEndpoint = POD_IP + ":" + backendPort;
    trap = new ConnectionTrap("127.0.0.98");
    epp =
        TestEpp.start(
                stack.vertx,
                List.of(podEndpoint, trap.address(), "169.254.169.254:80", "127.0.0.1:22"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    epp.setIgnoresSubsetHint(true);
    stack.extProc.addInsecurePool("default/foreign").setPickTimeoutMs(5000);
    stack.write(
        "all.yaml",
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: igw}
        spec: {controllerName: igw.io/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: igw
          listeners: [{name: http, protocol: HTTP, port: %d}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: route, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
          - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: foreign}]
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: foreign, namespace: default}
        spec:
          selector: {matchLabels: {app: foreign}}
          targetPorts: [{number: %d}]
          endpointPickerRef: {name: test-epp, port: {number: %d}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: test-epp, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: foreign-0, namespace: default, labels: {app: foreign}}
        status: {podIP: %s, conditions: [{type: Ready, status: "True"}]}
        """
            .formatted(gatewayPort, backendPort, epp.port(), epp.port(), POD_IP));
    stack.reconcile(gatewayPort);
  }

  @AfterAll
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (trap != null) {
      trap.close();
    }
  }

  @Test
  void endpointsOutsideThePoolAreNeverProxiedTo() throws Exception {
    HttpResponse<String> inPool = send(POD_IP);
    assertThat(inPool.statusCode()).as(inPool.body()).isEqualTo(200);
    assertThat(new JsonObject(inPool.body()).getString("pod")).isEqualTo("pod-0");

    HttpResponse<String> trapped = send(trap.address());
    assertThat(trapped.statusCode()).as(trapped.body()).isEqualTo(502);
    assertThat(Http.openAiError(trapped).getString("code")).isEqualTo("endpoint_not_in_pool");
    assertThat(trap.accepted()).as("connections to the trap").isZero();

    // refusal proven on loopback: the metadata address and a local port may now appear as values
    for (String outside : List.of("169.254.169.254:80", "127.0.0.1:22")) {
      HttpResponse<String> response = send(outside);
      assertThat(response.statusCode()).as(outside + " " + response.body()).isEqualTo(502);
      assertThat(Http.openAiError(response).getString("code")).isEqualTo("endpoint_not_in_pool");
    }
    String errorLog = java.nio.file.Files.readString(stack.prefix.root().resolve("logs/error.log"));
    assertThat(errorLog)
        .contains(
            "event=endpoint_refused reason=not_in_pool pool=default/foreign endpoints="
                + trap.address())
        .contains("endpoints=169.254.169.254:80 kept=0")
        .doesNotContain("connect() failed");
  }

  private HttpResponse<String> send(String selection) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/completions"))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .header(TestEpp.SELECTION_HEADER, selection)
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"prompt\":\"hi\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
