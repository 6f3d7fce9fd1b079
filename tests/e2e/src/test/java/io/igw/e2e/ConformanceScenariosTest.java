package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The upstream inference conformance scenarios (shared/reference/conformance.md) in local mode: two gateways, a
 * FailClose and a FailOpen pool of three echo pods each, real NGINX. Scenarios 3 and 9 use a foreign EPP (the test
 * EPP, TLS self-signed, reached through the picker's ext_proc bridge); the primary pods also serve HTTP/2
 * cleartext on a second port for the h2c pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceScenariosTest {
  private static final String POST = "{\"model\":\"conformance-fake-model\",\"prompt\":\"hi\"}";
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private LocalModeStack stack;
  private int backendPort;
  private int primaryPort;
  private int secondaryPort;
  private int h2cPort;
  private int gonePort;
  private int dpPort;
  private TestEpp epp;

  @BeforeAll
  void start() throws Exception {
    stack = new LocalModeStack();
    backendPort = GatewayStack.freePort();
    primaryPort = GatewayStack.freePort();
    secondaryPort = GatewayStack.freePort();
    h2cPort = GatewayStack.freePort();
    gonePort = GatewayStack.freePort();
    dpPort = GatewayStack.freePort();
    List<String> eppEndpoints = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String pod = (i < 3 ? "primary-" : "secondary-") + (i % 3);
      EchoServer.start(stack.vertx, ip(i), backendPort, pod).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      if (i < 3) {
        EchoServer.start(stack.vertx, ip(i), h2cPort, pod).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        EchoServer.start(stack.vertx, ip(i), dpPort, pod).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        eppEndpoints.add(ip(i) + ":" + backendPort);
        eppEndpoints.add(ip(i) + ":" + h2cPort);
      }
    }
    epp = TestEpp.start(stack.vertx, eppEndpoints).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // the test EPP's certificate is self-signed: verification is off for its pools only, by name
    stack.extProc.addInsecurePool("default/epp-primary").addInsecurePool("default/h2c").setPickTimeoutMs(1500);
    stack.write("00-gateways.yaml", gateways());
    stack.write("01-pools.yaml", pools());
    stack.reconcile(primaryPort, secondaryPort);
  }

  @AfterEach
  void removeRoutes() throws Exception {
    for (String f : List.of("route-a.yaml", "route-b.yaml", "route-c.yaml")) {
      stack.delete(f);
    }
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void scenario1_followingTheEpp() throws Exception {
    stack.write("route-a.yaml", route("follow", "conformance-primary", poolRule("epp-primary")));
    stack.reconcile();
    for (int i = 0; i < 3; i++) {
      assertThat(pod(eventually(primaryPort, "/", Map.of(TestEpp.SELECTION_HEADER, ip(i)))))
          .isEqualTo("primary-" + i);
    }
    ExecutorService clients = Executors.newFixedThreadPool(10);
    try {
      for (List<Integer> listed : List.of(List.of(1), List.of(0, 2), List.of(0, 1, 2))) {
        String selection = String.join(",", listed.stream().map(ConformanceScenariosTest::ip).toList());
        List<String> allowed = listed.stream().map(i -> "primary-" + i).toList();
        List<Future<String>> pods = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
          pods.add(clients.submit(() -> {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + primaryPort + "/")).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header(TestEpp.SELECTION_HEADER, selection)
                .POST(HttpRequest.BodyPublishers.ofString(POST)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return pod(response);
          }));
        }
        for (Future<String> pod : pods) {
          assertThat(pod.get()).as("selection " + selection).isIn(allowed);
        }
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void scenario2_dataParallelismUsesTheFullIpAndPort() throws Exception {
    stack.write("route-a.yaml", route("dp", "conformance-primary", poolRule("dp")));
    stack.reconcile();
    java.util.Set<Integer> ports = new java.util.TreeSet<>();
    java.util.Set<String> endpoints = new java.util.TreeSet<>();
    for (int i = 0; i < 60; i++) {
      HttpResponse<String> response = get(primaryPort, "/v1/models");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonObject echo = new JsonObject(response.body());
      ports.add(echo.getInteger("httpPort"));
      endpoints.add(echo.getString("pod") + ":" + echo.getInteger("httpPort"));
    }
    // 9 endpoints (3 pods × 3 ports): requests reach ports other than the first, so the gateway used ip:port
    assertThat(ports).isSubsetOf(backendPort, h2cPort, dpPort).hasSizeGreaterThan(1);
    assertThat(endpoints).hasSizeGreaterThan(3);
  }

  @Test
  void scenario3_destinationEndpointServed() throws Exception {
    stack.write("route-a.yaml", route("served", "conformance-primary", poolRule("epp-primary")));
    stack.reconcile();
    for (int i = 0; i < 3; i++) {
      String expected = ip(i) + ":" + backendPort;
      HttpResponse<String> response = eventually(primaryPort, "/", Map.of(TestEpp.SELECTION_HEADER, ip(i)));
      assertThat(response.headers().allValues(TestEpp.SERVED_HEADER)).containsExactly(expected);
      assertThat(pod(response)).isEqualTo("primary-" + i);
      // the served endpoint went back to the EPP in the response phase, from NGINX's completion record
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> epp.served().contains(expected));
    }
    assertThat(epp.subsets()).isNotEmpty().allSatisfy(s -> assertThat(s).hasSize(3));
  }

  @Test
  void scenario9_appProtocolH2cSpeaksHttp2ToItsPort() throws Exception {
    stack.write("route-a.yaml", route("protocols", "conformance-primary", """
          - matches: [{path: {type: PathPrefix, value: /h2c}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: h2c}]
          - matches: [{path: {type: PathPrefix, value: /http}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: epp-primary}]
        """));
    stack.reconcile();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> h2c = eventually(primaryPort, "/h2c/v1/completions",
          Map.of(TestEpp.SELECTION_HEADER, ip(i)));
      JsonObject echo = new JsonObject(h2c.body());
      assertThat(echo.getString("protocol")).isEqualTo("h2");
      assertThat(echo.getInteger("httpPort")).isEqualTo(h2cPort);
      assertThat(echo.getString("path")).isEqualTo("/h2c/v1/completions");
      assertThat(echo.getString("body")).isEqualTo(POST);
      assertThat(h2c.headers().allValues(TestEpp.SERVED_HEADER)).containsExactly(ip(i) + ":" + h2cPort);

      HttpResponse<String> http = eventually(primaryPort, "/http/v1/completions",
          Map.of(TestEpp.SELECTION_HEADER, ip(i)));
      assertThat(new JsonObject(http.body()).getString("protocol")).isEqualTo("http/1.1");
      assertThat(new JsonObject(http.body()).getInteger("httpPort")).isEqualTo(backendPort);
      assertThat(http.headers().allValues(TestEpp.SERVED_HEADER)).containsExactly(ip(i) + ":" + backendPort);
    }
  }

  @Test
  void foreignEppGoneFailsOpenOrClosedAsConfigured() throws Exception {
    stack.write("route-a.yaml", route("gone", "conformance-primary", """
          - matches: [{path: {type: PathPrefix, value: /open}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: gone-open}]
          - matches: [{path: {type: PathPrefix, value: /close}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: gone-close}]
        """));
    stack.reconcile();
    assertThat(pod(post(primaryPort, "/open", null))).startsWith("primary-");
    HttpResponse<String> closed = send(primaryPort, "/close", null, POST);
    assertThat(closed.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(closed.body()).getJsonObject("error").getString("code")).isEqualTo("picker_unavailable");
  }

  /** The conformance suite's "eventually consistent": retries until 3 consecutive 200s, returns the last. */
  private HttpResponse<String> eventually(int port, String path, Map<String, String> headers) throws Exception {
    HttpResponse<String> last = null;
    int ok = 0;
    for (int attempt = 0; attempt < 30 && ok < 3; attempt++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(POST));
      headers.forEach(request::header);
      last = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      ok = last.statusCode() == 200 ? ok + 1 : 0;
      if (ok == 0) {
        Thread.sleep(200);
      }
    }
    assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
    return last;
  }

  @Test
  void scenario12_severalRulesDifferentPools() throws Exception {
    stack.write("route-a.yaml", route("rules", "conformance-primary", """
          - matches: [{path: {type: PathPrefix, value: /primary}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary}]
          - matches: [{path: {type: PathPrefix, value: /secondary}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: secondary}]
        """));
    stack.reconcile();
    for (int i = 0; i < 6; i++) {
      assertThat(pod(post(primaryPort, "/primary/x", null))).startsWith("primary-");
      assertThat(pod(post(primaryPort, "/secondary/x", null))).startsWith("secondary-");
    }
  }

  @Test
  void headerMethodAndQueryMatchesChooseTheRule() throws Exception {
    stack.write("route-a.yaml", route("matches", "conformance-primary", """
          - matches: [{path: {type: PathPrefix, value: /v1}, headers: [{name: x-pool, value: secondary}]}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: secondary}]
          - matches: [{path: {type: PathPrefix, value: /v1}, queryParams: [{name: pool, value: secondary}]}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: secondary}]
          - matches: [{path: {type: PathPrefix, value: /v1}, method: GET}]
            filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /docs}}}]
          - matches: [{path: {type: PathPrefix, value: /v1}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary}]
        """));
    stack.reconcile();
    assertThat(pod(post(primaryPort, "/v1/completions", null))).startsWith("primary-");
    assertThat(pod(send(primaryPort, "/v1/completions?pool=secondary", null, POST))).startsWith("secondary-");
    HttpResponse<String> byHeader = CLIENT.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + primaryPort + "/v1/completions")).header("x-pool", "secondary")
        .POST(HttpRequest.BodyPublishers.ofString(POST)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(pod(byHeader)).startsWith("secondary-");
    HttpResponse<String> redirected = get(primaryPort, "/v1/models");
    assertThat(redirected.statusCode()).isEqualTo(302);
    assertThat(redirected.headers().firstValue("location")).hasValue("http://127.0.0.1/docs");
  }

  @Test
  void scenario4_weightedAcrossTwoPools() throws Exception {
    stack.write("route-a.yaml", route("weighted", "conformance-primary", """
          - backendRefs:
            - {group: inference.networking.k8s.io, kind: InferencePool, name: primary, weight: 70}
            - {group: inference.networking.k8s.io, kind: InferencePool, name: secondary, weight: 30}
        """));
    stack.reconcile();
    int primary = 0;
    for (int i = 0; i < 200; i++) {
      if (pod(post(primaryPort, "/", null)).startsWith("primary-")) {
        primary++;
      }
    }
    assertThat(primary / 200.0).isBetween(0.7 - 0.146, 0.7 + 0.146);
  }

  @Test
  void scenario13_severalGatewaysDifferentPools() throws Exception {
    stack.write("route-a.yaml", route("on-primary", "conformance-primary", poolRule("primary")));
    stack.write("route-b.yaml", route("on-secondary", "conformance-secondary", poolRule("secondary")));
    stack.reconcile();
    for (int i = 0; i < 4; i++) {
      assertThat(pod(post(primaryPort, "/", null))).startsWith("primary-");
      assertThat(pod(post(secondaryPort, "/", "secondary.example.com"))).startsWith("secondary-");
    }
  }

  @Test
  void scenario6_routeToMissingPool() throws Exception {
    stack.write("route-a.yaml", route("missing", "conformance-primary", poolRule("no-such-pool")));
    stack.reconcile();
    JsonNode parent = stack.status("HTTPRoute", "default/missing").path("parents").get(0);
    assertThat(LocalModeStack.condition(parent.path("conditions"), "Accepted")).isEqualTo("True/Accepted");
    assertThat(LocalModeStack.condition(parent.path("conditions"), "ResolvedRefs")).isEqualTo("False/BackendNotFound");
    assertThat(send(primaryPort, "/", null, POST).statusCode()).isEqualTo(500);
  }

  @Test
  void scenario7_poolWhosePickerServiceDoesNotExist() throws Exception {
    stack.write("route-a.yaml", route("bad-epp", "conformance-primary", poolRule("bad-epp")));
    stack.reconcile();
    JsonNode parent = stack.status("InferencePool", "default/bad-epp").path("parents").get(0);
    assertThat(LocalModeStack.condition(parent.path("conditions"), "ResolvedRefs"))
        .isEqualTo("False/InvalidExtensionRef");
    assertThat(LocalModeStack.condition(stack.status("HTTPRoute", "default/bad-epp").path("parents").get(0)
        .path("conditions"), "Accepted")).isEqualTo("True/Accepted");
    assertThat(get(primaryPort, "/").statusCode()).isBetween(500, 504);
  }

  @Test
  void scenario8_poolWithoutPickerRefIsAcceptedAndServed() throws Exception {
    stack.write("route-a.yaml", route("no-epp", "conformance-primary", poolRule("no-epp")));
    stack.reconcile();
    JsonNode parent = stack.status("InferencePool", "default/no-epp").path("parents").get(0);
    assertThat(LocalModeStack.condition(parent.path("conditions"), "Accepted")).isEqualTo("True/Accepted");
    assertThat(pod(post(primaryPort, "/", null))).startsWith("primary-");
  }

  @Test
  void scenario10_backendRefPortIsIgnored() throws Exception {
    stack.write("route-a.yaml", route("ports", "conformance-primary", """
          - matches: [{path: {type: PathPrefix, value: /no-port}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary}]
          - matches: [{path: {type: PathPrefix, value: /port-3000}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary, port: 3000}]
          - matches: [{path: {type: PathPrefix, value: /port-8888}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary, port: 8888}]
        """));
    stack.reconcile();
    for (String path : List.of("/no-port", "/port-3000", "/port-8888")) {
      HttpResponse<String> response = get(primaryPort, path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(pod(response)).startsWith("primary-");
    }
  }

  @Test
  void scenario11_poolAcceptedWithGatewayParent() throws Exception {
    stack.write("route-a.yaml", route("accepted", "conformance-primary", poolRule("primary")));
    stack.reconcile();
    JsonNode parents = stack.status("InferencePool", "default/primary").path("parents");
    assertThat(parents.size()).isEqualTo(1);
    assertThat(parents.get(0).path("parentRef").path("namespace").asString()).isEqualTo("default");
    assertThat(parents.get(0).path("parentRef").path("name").asString()).isEqualTo("conformance-primary");
    assertThat(LocalModeStack.condition(parents.get(0).path("conditions"), "Accepted")).isEqualTo("True/Accepted");
  }

  @Test
  void scenario14_resolvedRefsOverTime() throws Exception {
    stack.write("route-a.yaml", route("r-primary", "conformance-primary", """
          - matches: [{path: {type: PathPrefix, value: /shared}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary}]
        """));
    stack.write("route-b.yaml", route("r-secondary", "conformance-secondary", """
          - matches: [{path: {type: PathPrefix, value: /shared}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary}]
        """));
    stack.reconcile();
    assertThat(parentNames()).containsExactlyInAnyOrder("conformance-primary", "conformance-secondary");
    assertThat(post(primaryPort, "/shared", null).statusCode()).isEqualTo(200);

    stack.delete("route-a.yaml");
    stack.reconcile();
    assertThat(send(primaryPort, "/shared", null, POST).statusCode()).isEqualTo(404);
    assertThat(post(secondaryPort, "/shared", "secondary.example.com").statusCode()).isEqualTo(200);
    assertThat(parentNames()).containsExactly("conformance-secondary");

    stack.delete("route-b.yaml");
    stack.reconcile();
    assertThat(stack.status("InferencePool", "default/primary").path("parents").size()).isZero();
  }

  private List<String> parentNames() throws Exception {
    List<String> names = new ArrayList<>();
    stack.status("InferencePool", "default/primary").path("parents")
        .forEach(p -> names.add(p.path("parentRef").path("name").asString()));
    return names;
  }

  // --- requests

  private HttpResponse<String> post(int port, String path, String host) throws Exception {
    HttpResponse<String> response = send(port, path, host, POST);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(int port, String path, String host, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (host != null) {
      request.header("Host", host);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String pod(HttpResponse<String> response) {
    return new JsonObject(response.body()).getString("pod");
  }

  // --- manifests

  private static String ip(int i) {
    return "127.0.0." + (41 + i);
  }

  private String gateways() {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: igw}
        spec: {controllerName: igw.io/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: conformance-primary, namespace: default}
        spec:
          gatewayClassName: igw
          listeners: [{name: http, protocol: HTTP, port: %d, allowedRoutes: {namespaces: {from: All}}}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: conformance-secondary, namespace: default}
        spec:
          gatewayClassName: igw
          listeners:
          - {name: http, protocol: HTTP, port: %d, hostname: secondary.example.com,
             allowedRoutes: {namespaces: {from: All}}}
        """.formatted(primaryPort, secondaryPort);
  }

  private String pools() {
    StringBuilder yaml = new StringBuilder();
    yaml.append(pool("primary", "primary", "endpointPickerRef: {name: igw-picker, port: {number: 9002}}"));
    yaml.append(pool("secondary", "secondary",
        "endpointPickerRef: {name: igw-picker, port: {number: 9002}, failureMode: FailOpen}"));
    yaml.append(pool("bad-epp", "primary", "endpointPickerRef: {name: no-such-epp, port: {number: 9002}}"));
    yaml.append(pool("no-epp", "primary", ""));
    yaml.append("""
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: dp, namespace: default}
        spec:
          selector: {matchLabels: {app: primary}}
          targetPorts: [{number: %d}, {number: %d}, {number: %d}]
          endpointPickerRef: {name: igw-picker, port: {number: 9002}}
        """.formatted(backendPort, h2cPort, dpPort));
    yaml.append("""
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: epp-primary, namespace: default}
        spec:
          selector: {matchLabels: {app: primary}}
          targetPorts: [{number: %d}]
          appProtocol: http
          endpointPickerRef: {name: test-epp, port: {number: %d}}
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: h2c, namespace: default}
        spec:
          selector: {matchLabels: {app: primary}}
          targetPorts: [{number: %d}]
          appProtocol: kubernetes.io/h2c
          endpointPickerRef: {name: test-epp, port: {number: %d}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: test-epp, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        """.formatted(backendPort, epp.port(), h2cPort, epp.port(), epp.port()));
    for (String mode : List.of("FailOpen", "FailClose")) {
      yaml.append(pool("gone-" + (mode.equals("FailOpen") ? "open" : "close"), "primary",
          "endpointPickerRef: {name: gone-epp, port: {number: " + gonePort + "}, failureMode: " + mode + "}"));
    }
    yaml.append("""
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: gone-epp, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        """.formatted(gonePort));
    Map<Integer, String> pods = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      pods.put(i, i < 3 ? "primary" : "secondary");
      yaml.append("""
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: %s-%d, namespace: default, labels: {app: %s}}
          status: {podIP: %s, conditions: [{type: Ready, status: "True"}]}
          """.formatted(pods.get(i), i % 3, pods.get(i), ip(i)));
    }
    return yaml.toString();
  }

  private String pool(String name, String app, String pickerRef) {
    return """
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: %s}}
          targetPorts: [{number: %d}]
          %s
        """.formatted(name, app, backendPort, pickerRef);
  }

  private static String poolRule(String pool) {
    return "      - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: " + pool + "}]\n";
  }

  private static String route(String name, String gateway, String rules) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: default}
        spec:
          parentRefs: [{name: %s}]
          rules:
        %s""".formatted(name, gateway, rules);
  }
}
