package io.igw.e2e;

import static io.igw.e2e.ConformanceFixture.PRIMARY;
import static io.igw.e2e.ConformanceFixture.SECONDARY;
import static io.igw.e2e.ConformanceFixture.route;
import static io.igw.e2e.ConformanceFixture.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.igw.controller.ControllerMain;
import io.igw.controller.model.ResponsePhase;
import io.igw.e2e.ConformanceFixture.Deployment;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Mirrors of the upstream Gateway API Inference Extension conformance suite
 * (conformance/tests/*.go), each test as upstream does it, in local mode: the controller renders
 * nginx.conf from the manifests ({@link ConformanceFixture}) and writes status to the local status
 * file, real NGINX serves, the picker's ext_proc bridge asks one test EPP per pool family ({@link
 * TestEpp}, like upstream's lwepp). Every test first checks the status preconditions upstream
 * checks (route Accepted + ResolvedRefs on its gateway, pool Accepted by its parent, gateway
 * Programmed with an address), then sends upstream's requests and compares like upstream's {@code
 * CompareRoundTrip}: status, backend pod (exact name or deployment prefix), response headers, and
 * the request headers the backend received.
 *
 * <table>
 * <caption>upstream test → mirror</caption>
 * <tr><th>upstream ShortName</th><th>mirror</th></tr>
 * <tr><td>GatewayFollowingEPPRouting</td><td>{@link #gatewayFollowingEppRouting}</td></tr>
 * <tr><td>GatewayFollowingEPPRoutingWithDataParallelism</td>
 *     <td>{@link #gatewayFollowingEppRoutingWithDataParallelism}</td></tr>
 * <tr><td>GatewayDestinationEndpointServed</td><td>{@link #gatewayDestinationEndpointServed}</td></tr>
 * <tr><td>GatewayWeightedAcrossTwoInferencePools</td><td>{@link #gatewayWeightedAcrossTwoInferencePools}</td></tr>
 * <tr><td>EppUnAvailableFailOpen</td><td>{@link #eppUnavailableFailOpen}</td></tr>
 * <tr><td>HTTPRouteInvalidInferencePoolRef</td><td>{@link #httpRouteInvalidInferencePoolRef}</td></tr>
 * <tr><td>InferencePoolInvalidEPPService</td><td>{@link #inferencePoolInvalidEppService}</td></tr>
 * <tr><td>InferencePoolMissingEPPRef</td><td>{@link #inferencePoolMissingEppRef}</td></tr>
 * <tr><td>InferencePoolAppProtocol</td><td>{@link #inferencePoolAppProtocol}</td></tr>
 * <tr><td>InferencePoolHTTPRoutePortValidation</td><td>{@link #inferencePoolHttpRoutePortValidation}</td></tr>
 * <tr><td>InferencePoolAccepted</td><td>{@link #inferencePoolAccepted}</td></tr>
 * <tr><td>HTTPRouteMultipleRulesDifferentPools</td><td>{@link #httpRouteMultipleRulesDifferentPools}</td></tr>
 * <tr><td>HTTPRouteMultipleGatewaysDifferentPools</td><td>{@link #httpRouteMultipleGatewaysDifferentPools}</td></tr>
 * <tr><td>InferencePoolResolvedRefsCondition</td><td>{@link #inferencePoolResolvedRefsCondition}</td></tr>
 * <tr><td>InferencePoolControllerName (kubernetes-sigs/gateway-api-inference-extension#2029)</td>
 *     <td>{@link #inferencePoolControllerName}</td></tr>
 * </table>
 *
 * <p>Beyond upstream: {@link #foreignEppGoneFailsOpenOrClosedAsConfigured}, {@link
 * #headerMethodAndQueryMatchesChooseTheRule}, {@link #aClientCannotSteerTheRelay} and {@link
 * #aBridgedPoolsStreamReachesTheClientEventByEvent}.
 *
 * <p>The bridged pools run with {@code --epp-response-phase relay}, as upstream's suite expects
 * (the EPP's response-phase header reaches the client); {@link ConformanceScenariosReportModeTest}
 * runs every test again in report mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceScenariosTest {
  private static final String BODY =
      """
      {"model": "conformance-fake-model", "prompt": "Write as if you were a critic: San Francisco"}""";
  private static final String SELECTION = TestEpp.SELECTION_HEADER;
  private static final String SERVED = TestEpp.SERVED_HEADER;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private LocalModeStack stack;
  private ConformanceFixture fx;

  /** How the gateway runs bridged pools' response phase in this class. */
  ResponsePhase.Mode responsePhase() {
    return ResponsePhase.Mode.RELAY;
  }

  /** What a client sees in {@link TestEpp#SERVED_HEADER} when {@code endpoint} served. */
  private String servedHeader(String endpoint) {
    return responsePhase() == ResponsePhase.Mode.RELAY ? endpoint : TestEpp.REQUEST_PHASE;
  }

  @BeforeAll
  void start() throws Exception {
    fx = new ConformanceFixture();
    stack = new LocalModeStack(ConformanceFixture.EPP_REQUEST_HEADERS, responsePhase());
    fx.start(stack);
    stack.reconcile(fx.primaryPort, fx.secondaryPort);
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
  void gatewayFollowingEppRouting() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-primary-gw",
            PRIMARY,
            List.of("primary.example.com"),
            rule("/primary-gateway-test", "primary", null)));
    mustBeAcceptedAndResolved("httproute-for-primary-gw", PRIMARY);
    poolMustBeAcceptedByParent("primary", PRIMARY);
    Req base = new Req(fx.primaryPort, "primary.example.com", "/primary-gateway-test", true);
    Deployment d = Deployment.PRIMARY;
    for (int i = 0; i < 3; i++) {
      eventually(base.with(SELECTION, d.ip(i)), Expect.pod(d.pod(i)));
    }
    for (List<Integer> listed : List.of(List.of(1), List.of(0, 2), List.of(0, 1, 2))) {
      Req req = base.with(SELECTION, String.join(",", listed.stream().map(d::ip).toList()));
      List<String> allowed = listed.stream().map(d::pod).toList();
      eventually(req, Expect.prefix(d.app));
      for (JsonObject echo : concurrently(100, 10, req, Expect.prefix(d.app))) {
        assertThat(echo.getString("pod")).as(req.headers().toString()).isIn(allowed);
      }
    }
  }

  @Test
  void gatewayFollowingEppRoutingWithDataParallelism() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-primary-gw-dp",
            PRIMARY,
            List.of("primary.example.com"),
            rule("/primary-gateway-dp-test", "dp", null)));
    mustBeAcceptedAndResolved("httproute-for-primary-gw-dp", PRIMARY);
    poolMustBeAcceptedByParent("dp", PRIMARY);
    Req base = new Req(fx.primaryPort, "primary.example.com", "/primary-gateway-dp-test", true);
    Deployment d = Deployment.DP;
    for (int i = 0; i < 3; i++) {
      eventually(base.with(SELECTION, d.ip(i)), Expect.pod(d.pod(i)));
    }
    Set<Integer> dpPorts = Set.of(fx.port3000, fx.port3002, fx.port3004);
    List<Map<String, Set<Integer>>> cases =
        List.of(
            Map.of(d.ip(1), Set.of()), // one pod, any rank
            Map.of(
                d.ip(0), Set.of(), d.ip(2), Set.of(fx.port3002)), // two pods, one with a fixed rank
            Map.of(
                d.ip(0), Set.of(), d.ip(1), Set.of(fx.port3000, fx.port3004), d.ip(2), Set.of()));
    for (Map<String, Set<Integer>> allowed : cases) {
      Req req = base.with(SELECTION, selection(allowed));
      eventually(req, Expect.prefix(d.app));
      for (JsonObject echo : concurrently(100, 10, req, Expect.prefix(d.app))) {
        String ip = d.ip(Integer.parseInt(echo.getString("pod").substring(d.app.length() + 1)));
        int port = echo.getInteger("httpPort");
        assertThat(allowed)
            .as("pod %s outside the selection %s", echo.getString("pod"), req.headers())
            .containsKey(ip);
        assertThat(port)
            .as("httpPort of %s for selection %s", ip, req.headers())
            .isIn(allowed.get(ip).isEmpty() ? dpPorts : allowed.get(ip));
      }
    }
  }

  @Test
  void gatewayDestinationEndpointServed() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-destination-endpoint-served",
            PRIMARY,
            List.of("primary.example.com"),
            rule("/destination-endpoint-served-test", "primary", null)));
    mustBeAcceptedAndResolved("httproute-for-destination-endpoint-served", PRIMARY);
    poolMustBeAcceptedByParent("primary", PRIMARY);
    Req base =
        new Req(fx.primaryPort, "primary.example.com", "/destination-endpoint-served-test", true);
    Deployment d = Deployment.PRIMARY;
    List<String> poolEndpoints = d.ips().stream().map(ip -> ip + ":" + fx.port3000).toList();
    for (int i = 0; i < 3; i++) {
      String endpoint = d.ip(i) + ":" + fx.port3000;
      long before = reportedServed(endpoint);
      // relay: the EPP's response-phase value replaces the request phase's; report: it cannot reach
      // the client
      eventually(
          base.with(SELECTION, d.ip(i)),
          Expect.pod(d.pod(i)).header(SERVED, servedHeader(endpoint)));
      // the gateway told the EPP the endpoint that served in the response phase (envoy.lb metadata)
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> reportedServed(endpoint) >= before + 3);
    }
    // once per request, and always a pool endpoint (never the relay's own address)
    assertThat(fx.primaryEpp.served()).allMatch(poolEndpoints::contains);
  }

  private long reportedServed(String endpoint) {
    return fx.primaryEpp.served().stream().filter(endpoint::equals).count();
  }

  @Test
  void gatewayWeightedAcrossTwoInferencePools() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-weighted-two-pools",
            PRIMARY,
            List.of("primary.example.com"),
            """
          - matches: [{path: {type: PathPrefix, value: /weighted-two-pools-test}}]
            backendRefs:
            - {group: inference.networking.k8s.io, kind: InferencePool, name: primary, weight: 70}
            - {group: inference.networking.k8s.io, kind: InferencePool, name: secondary, weight: 30}
        """));
    mustBeAcceptedAndResolved("httproute-weighted-two-pools", PRIMARY);
    poolMustBeAcceptedByParent("primary", PRIMARY);
    poolMustBeAcceptedByParent("secondary", PRIMARY);
    Req base = new Req(fx.primaryPort, "primary.example.com", "/weighted-two-pools-test", true);
    for (Deployment d : List.of(Deployment.PRIMARY, Deployment.SECONDARY)) {
      for (int i = 0; i < 3; i++) {
        // warm-up pinned to one pod: a request the weights send to the other pool gets that EPP's
        // 503; retried
        eventually(base.with(SELECTION, d.ip(i) + ":" + fx.port3000), Expect.pod(d.pod(i)));
      }
    }
    List<String> all = new ArrayList<>(Deployment.PRIMARY.ips());
    all.addAll(Deployment.SECONDARY.ips());
    Req req = base.with(SELECTION, String.join(",", all));
    AtomicInteger primary = new AtomicInteger();
    for (JsonObject echo : concurrently(200, 5, req, Expect.any())) {
      String pod = echo.getString("pod");
      assertThat(pod).matches("(primary|secondary)-[0-2]");
      if (pod.startsWith("primary-")) {
        primary.incrementAndGet();
      }
    }
    double expected = 0.7;
    double tolerance = Math.max(0.10, 4.5 * Math.sqrt(expected * (1 - expected) / 200));
    assertThat(primary.get() / 200.0)
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
  }

  @Test
  void eppUnavailableFailOpen() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-failopen-pool-gw",
            SECONDARY,
            List.of("secondary.example.com"),
            rule("/failopen-pool-test", "secondary", null)));
    mustBeAcceptedAndResolved("httproute-for-failopen-pool-gw", SECONDARY);
    poolMustBeAcceptedByParent("secondary", SECONDARY);
    Deployment d = Deployment.SECONDARY;
    Req req =
        new Req(fx.secondaryPort, "secondary.example.com", "/failopen-pool-test", true)
            .with(SELECTION, d.ip(0));
    // phase 1: the EPP serves, and the request goes where it says
    eventually(req, Expect.pod(d.pod(0)));
    // phase 2: the EPP dies; the FailOpen pool still answers, from any of its pods
    fx.secondaryEpp.kill().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      eventually(req, Expect.prefix(d.app));
      Set<String> pods = new TreeSet<>();
      for (int i = 0; i < 6; i++) {
        pods.add(check(send(req), Expect.prefix(d.app)).getString("pod"));
      }
      assertThat(pods)
          .as("the dead EPP's pin no longer holds: the pool's fallback spreads")
          .hasSizeGreaterThan(1);
    } finally {
      fx.secondaryEpp.revive().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void httpRouteInvalidInferencePoolRef() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-to-non-existent-pool",
            PRIMARY,
            List.of(),
            rule("/invalid-pool-ref-test", "non-existent-inference-pool", null)));
    assertThat(routeCondition("httproute-to-non-existent-pool", PRIMARY, "Accepted"))
        .isEqualTo("True/Accepted");
    assertThat(routeCondition("httproute-to-non-existent-pool", PRIMARY, "ResolvedRefs"))
        .isEqualTo("False/BackendNotFound");
  }

  @Test
  void inferencePoolInvalidEppService() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-invalid-epp-pool",
            PRIMARY,
            List.of(),
            rule("/invalid-epp-test", "pool-with-invalid-epp", null)));
    gatewayMustBeProgrammedWithAddress(PRIMARY);
    assertThat(routeCondition("httproute-for-invalid-epp-pool", PRIMARY, "Accepted"))
        .isEqualTo("True/Accepted");
    assertThat(poolCondition("pool-with-invalid-epp", PRIMARY, "ResolvedRefs"))
        .startsWith("False/");
    eventually(
        new Req(fx.primaryPort, null, "/invalid-epp-test", false),
        Expect.status(500, 501, 502, 503, 504));
  }

  @Test
  void inferencePoolMissingEppRef() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-missing-epp-ref-pool",
            PRIMARY,
            List.of(),
            rule("/missing-epp-ref-test", "pool-with-missing-epp-ref", null)));
    assertThat(routeCondition("httproute-for-missing-epp-ref-pool", PRIMARY, "Accepted"))
        .isEqualTo("True/Accepted");
    assertThat(poolCondition("pool-with-missing-epp-ref", PRIMARY, "Accepted"))
        .matches("True/.*|False/EndpointPickerRefMissing");
  }

  @Test
  void inferencePoolAppProtocol() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-inferencepool-appprotocol-h2c",
            PRIMARY,
            List.of("appprotocol-h2c.example.com"),
            rule("/inferencepool-app-protocol-h2c", "appprotocol-h2c", null)));
    routes(
        "route-b.yaml",
        route(
            "httproute-for-inferencepool-appprotocol-http",
            PRIMARY,
            List.of("appprotocol-http.example.com"),
            rule("/inferencepool-app-protocol-http", "appprotocol-http", null)));
    routes(
        "route-c.yaml",
        route(
            "httproute-for-inferencepool-appprotocol-default",
            PRIMARY,
            List.of("appprotocol-default.example.com"),
            rule("/inferencepool-app-protocol-default", "primary", null)));
    record Case(String suffix, String pool, Deployment pods, int port, String protocol) {}
    for (Case c :
        List.of(
            new Case("h2c", "appprotocol-h2c", Deployment.APP_PROTOCOL, fx.port3001, "h2"),
            new Case("http", "appprotocol-http", Deployment.APP_PROTOCOL, fx.port3000, "http/1.1"),
            new Case("default", "primary", Deployment.PRIMARY, fx.port3000, "http/1.1"))) {
      mustBeAcceptedAndResolved("httproute-for-inferencepool-appprotocol-" + c.suffix(), PRIMARY);
      poolMustBeAcceptedByParent(c.pool(), PRIMARY);
      Req base =
          new Req(
              fx.primaryPort,
              "appprotocol-" + c.suffix() + ".example.com",
              "/inferencepool-app-protocol-" + c.suffix(),
              true);
      for (int i = 0; i < 3; i++) {
        String selected = c.pods().ip(i) + ":" + c.port();
        JsonObject echo =
            eventually(
                base.with(SELECTION, selected),
                Expect.pod(c.pods().pod(i)).header(SERVED, servedHeader(selected)));
        assertThat(echo.getString("protocol")).as(c.pool()).isEqualTo(c.protocol());
        assertThat(echo.getString("body")).isEqualTo(BODY);
      }
    }
  }

  @Test
  void inferencePoolHttpRoutePortValidation() throws Exception {
    List<String[]> cases =
        List.of(
            new String[] {"unspecified", null},
            new String[] {"matching", "" + fx.port3000},
            new String[] {"non-matching", "8888"});
    List<String> files = List.of("route-a.yaml", "route-b.yaml", "route-c.yaml");
    for (int i = 0; i < 3; i++) {
      String name = cases.get(i)[0];
      routes(
          files.get(i),
          route(
              "httproute-pool-port-" + name,
              PRIMARY,
              List.of("port-" + name + ".example.com"),
              rule(
                  "/test-port-" + name,
                  "primary",
                  cases.get(i)[1] == null ? null : Integer.valueOf(cases.get(i)[1]))));
    }
    for (String[] c : cases) {
      mustBeAcceptedAndResolved("httproute-pool-port-" + c[0], PRIMARY);
      poolMustBeAcceptedByParent("primary", PRIMARY);
      eventually(
          new Req(fx.primaryPort, "port-" + c[0] + ".example.com", "/test-port-" + c[0], false),
          Expect.prefix(Deployment.PRIMARY.app));
    }
  }

  @Test
  void inferencePoolAccepted() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-inferencepool-accepted",
            PRIMARY,
            List.of(),
            rule("/accepted-pool-test", "primary", null)));
    JsonNode parents = stack.status("InferencePool", "default/primary").path("parents");
    assertThat(parents.size()).isEqualTo(1);
    assertThat(parents.get(0).path("parentRef").path("namespace").asString()).isEqualTo("default");
    poolMustBeAcceptedByParent("primary", PRIMARY);
  }

  @Test
  void httpRouteMultipleRulesDifferentPools() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-multiple-rules-different-pools",
            PRIMARY,
            List.of(),
            rule("/primary", "primary", null) + rule("/secondary", "secondary", null)));
    for (String pool : List.of("primary", "secondary")) {
      mustBeAcceptedAndResolved("httproute-multiple-rules-different-pools", PRIMARY);
      poolMustBeAcceptedByParent(pool, PRIMARY);
    }
    eventually(new Req(fx.primaryPort, null, "/primary", true), Expect.prefix("primary"));
    eventually(new Req(fx.primaryPort, null, "/secondary", true), Expect.prefix("secondary"));
  }

  @Test
  void httpRouteMultipleGatewaysDifferentPools() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "primary-route",
            PRIMARY,
            List.of("primary.example.com"),
            rule("/test-primary-gateway", "primary", null)));
    routes(
        "route-b.yaml",
        route(
            "secondary-route",
            SECONDARY,
            List.of("secondary.example.com"),
            rule("/test-secondary-gateway", "secondary", null)));
    mustBeAcceptedAndResolved("primary-route", PRIMARY);
    poolMustBeAcceptedByParent("primary", PRIMARY);
    gatewayMustBeProgrammedWithAddress(PRIMARY);
    eventually(
        new Req(fx.primaryPort, "primary.example.com", "/test-primary-gateway", false)
            .with(SELECTION, Deployment.PRIMARY.ip(0)),
        Expect.pod(Deployment.PRIMARY.pod(0)));
    mustBeAcceptedAndResolved("secondary-route", SECONDARY);
    poolMustBeAcceptedByParent("secondary", SECONDARY);
    gatewayMustBeProgrammedWithAddress(SECONDARY);
    eventually(
        new Req(fx.secondaryPort, "secondary.example.com", "/test-secondary-gateway", false)
            .with(SELECTION, Deployment.SECONDARY.ip(0)),
        Expect.pod(Deployment.SECONDARY.pod(0)));
  }

  @Test
  void inferencePoolResolvedRefsCondition() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-primary-gw",
            PRIMARY,
            List.of("primary.example.com"),
            rule("/primary-gw", "primary", null)));
    routes(
        "route-b.yaml",
        route(
            "httproute-for-secondary-gw",
            SECONDARY,
            List.of("secondary.example.com"),
            rule("/secondary-gw", "primary", null)));
    mustBeAcceptedAndResolved("httproute-for-primary-gw", PRIMARY);
    mustBeAcceptedAndResolved("httproute-for-secondary-gw", SECONDARY);
    poolMustBeAcceptedByParent("primary", PRIMARY);
    poolMustBeAcceptedByParent("primary", SECONDARY);
    Req onPrimary = new Req(fx.primaryPort, "primary.example.com", "/primary-gw", true);
    Req onSecondary = new Req(fx.secondaryPort, "secondary.example.com", "/secondary-gw", true);
    eventually(onPrimary, Expect.prefix("primary"));
    eventually(onSecondary, Expect.prefix("primary"));

    stack.delete("route-a.yaml");
    stack.reconcile();
    poolMustBeAcceptedByParent("primary", SECONDARY);
    assertThat(parentNames("primary")).containsExactly(SECONDARY);
    eventually(onSecondary, Expect.prefix("primary"));
    eventually(onPrimary, Expect.status(404));

    stack.delete("route-b.yaml");
    stack.reconcile();
    assertThat(stack.status("InferencePool", "default/primary").path("parents").size()).isZero();
    eventually(onSecondary, Expect.status(404));
  }

  @Test
  void inferencePoolControllerName() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "httproute-for-inferencepool-accepted",
            PRIMARY,
            List.of(),
            rule("/accepted-pool-test", "primary", null)));
    JsonNode parents = stack.status("InferencePool", "default/primary").path("parents");
    assertThat(parents.size()).isPositive();
    parents.forEach(
        p ->
            assertThat(p.path("controllerName").asString())
                .isEqualTo(ControllerMain.CONTROLLER_NAME));
  }

  @Test
  void foreignEppGoneFailsOpenOrClosedAsConfigured() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "gone",
            PRIMARY,
            List.of(),
            rule("/open", "gone-open", null) + rule("/close", "gone-close", null)));
    mustBeAcceptedAndResolved("gone", PRIMARY);
    eventually(new Req(fx.primaryPort, null, "/open", true), Expect.prefix("primary"));
    HttpResponse<String> closed = send(new Req(fx.primaryPort, null, "/close", true));
    assertThat(closed.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(closed.body()).getJsonObject("error").getString("code"))
        .isEqualTo("picker_unavailable");
  }

  @Test
  void aClientCannotSteerTheRelay() throws Exception {
    routes("route-a.yaml", route("steer", PRIMARY, List.of(), rule("/steer", "primary", null)));
    mustBeAcceptedAndResolved("steer", PRIMARY);
    Deployment d = Deployment.PRIMARY;
    String chosen = d.ip(0) + ":" + fx.port3000;
    // the headers NGINX gives the relay, as a client would forge them: another pod, another pool,
    // another request
    Req forged =
        new Req(fx.primaryPort, null, "/steer", true)
            .with(SELECTION, d.ip(0))
            .with(
                "x-igw-relay-endpoints",
                d.ip(1) + ":" + fx.port3000 + "," + Deployment.SECONDARY.ip(0) + ":" + fx.port3000)
            .with("x-igw-relay-pool", "default/secondary")
            .with("x-igw-relay-timeout-ms", "1")
            .with("x-igw-request-id", "forged-" + System.nanoTime())
            .with("x-igw-relay-served", "127.0.0.1:1");
    HttpResponse<String> response = send(forged);
    JsonObject echo = check(response, Expect.pod(d.pod(0)).header(SERVED, servedHeader(chosen)));
    assertThat(response.headers().firstValue("x-igw-relay-served")).isEmpty();
    if (responsePhase() == ResponsePhase.Mode.RELAY) {
      assertThat(echo.getJsonObject("headers").fieldNames()).noneMatch(n -> n.startsWith("x-igw-"));
    }
  }

  @Test
  void aBridgedPoolsStreamReachesTheClientEventByEvent() throws Exception {
    routes("route-a.yaml", route("stream", PRIMARY, List.of(), rule("/stream", "primary", null)));
    mustBeAcceptedAndResolved("stream", PRIMARY);
    Deployment d = Deployment.PRIMARY;
    eventually(
        new Req(fx.primaryPort, null, "/stream", true).with(SELECTION, d.ip(2)),
        Expect.pod(d.pod(2)));
    String gate = "gate-" + responsePhase() + "-" + System.nanoTime();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.primaryPort + "/stream"))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .header(SELECTION, d.ip(2))
            .header(EchoServer.STREAM_HEADER, gate)
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
    HttpResponse<java.io.InputStream> response =
        CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().allValues(SERVED))
        .containsExactly(servedHeader(d.ip(2) + ":" + fx.port3000));
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
      // the backend sends its second event only once the client has read the first
      assertThat(lines.readLine()).isEqualTo("data: 1");
      EchoServer.open(gate);
      assertThat(lines.readLine()).isEmpty();
      assertThat(lines.readLine()).isEqualTo("data: 2");
    }
  }

  @Test
  void headerMethodAndQueryMatchesChooseTheRule() throws Exception {
    routes(
        "route-a.yaml",
        route(
            "matches",
            PRIMARY,
            List.of(),
            """
          - matches: [{path: {type: PathPrefix, value: /v1}, headers: [{name: x-pool, value: secondary}]}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: secondary}]
          - matches: [{path: {type: PathPrefix, value: /v1}, queryParams: [{name: pool, value: secondary}]}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: secondary}]
          - matches: [{path: {type: PathPrefix, value: /v1}, method: GET}]
            filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /docs}}}]
          - matches: [{path: {type: PathPrefix, value: /v1}}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: primary}]
        """));
    Req post = new Req(fx.primaryPort, null, "/v1/completions", true);
    eventually(post, Expect.prefix("primary"));
    eventually(
        new Req(fx.primaryPort, null, "/v1/completions?pool=secondary", true),
        Expect.prefix("secondary"));
    eventually(post.with("x-pool", "secondary"), Expect.prefix("secondary"));
    // (not /v1/models: the gateway answers that itself, docs/pick-api.md "The gateway's model
    // list")
    HttpResponse<String> redirected = send(new Req(fx.primaryPort, null, "/v1/files", false));
    assertThat(redirected.statusCode()).isEqualTo(302);
    assertThat(redirected.headers().firstValue("location")).hasValue("http://127.0.0.1/docs");
  }

  // --- status, as upstream's k8sutils checks it

  private void routes(String file, String yaml) throws Exception {
    stack.write(file, yaml);
    stack.reconcile();
  }

  private void mustBeAcceptedAndResolved(String route, String gateway) throws Exception {
    assertThat(routeCondition(route, gateway, "Accepted")).as(route).isEqualTo("True/Accepted");
    assertThat(routeCondition(route, gateway, "ResolvedRefs"))
        .as(route)
        .isEqualTo("True/ResolvedRefs");
    gatewayMustBeProgrammedWithAddress(gateway);
  }

  private void poolMustBeAcceptedByParent(String pool, String gateway) throws Exception {
    assertThat(poolCondition(pool, gateway, "Accepted"))
        .as(pool + " on " + gateway)
        .isEqualTo("True/Accepted");
  }

  private void gatewayMustBeProgrammedWithAddress(String gateway) throws Exception {
    JsonNode status = stack.status("Gateway", "default/" + gateway);
    assertThat(LocalModeStack.condition(status.path("conditions"), "Programmed"))
        .isEqualTo("True/Programmed");
    assertThat(status.path("addresses").size()).as(gateway + " addresses").isPositive();
  }

  private String routeCondition(String route, String gateway, String type) throws Exception {
    return LocalModeStack.condition(
        parent(stack.status("HTTPRoute", "default/" + route), gateway).path("conditions"), type);
  }

  private String poolCondition(String pool, String gateway, String type) throws Exception {
    return LocalModeStack.condition(
        parent(stack.status("InferencePool", "default/" + pool), gateway).path("conditions"), type);
  }

  private static JsonNode parent(JsonNode status, String gateway) {
    for (JsonNode p : status.path("parents")) {
      if (gateway.equals(p.path("parentRef").path("name").asString())) {
        return p;
      }
    }
    throw new AssertionError("no status parent for gateway " + gateway + " in " + status);
  }

  private List<String> parentNames(String pool) throws Exception {
    List<String> names = new ArrayList<>();
    stack
        .status("InferencePool", "default/" + pool)
        .path("parents")
        .forEach(p -> names.add(p.path("parentRef").path("name").asString()));
    return names;
  }

  // --- requests, as upstream's gwhttp sends and compares them

  /** A request: POST with upstream's body, or a bodyless GET; {@code host} null: the address. */
  private record Req(
      int port, String host, String path, boolean post, Map<String, String> headers) {
    Req(int port, String host, String path, boolean post) {
      this(port, host, path, post, Map.of());
    }

    Req with(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Req(port, host, path, post, more);
    }
  }

  /**
   * What upstream's ExpectedResponse holds: statuses, the backend (pod name or deployment prefix),
   * headers.
   */
  private record Expect(
      Set<Integer> statuses,
      Predicate<String> backend,
      String backendText,
      Map<String, String> headers) {
    static Expect pod(String name) {
      return new Expect(Set.of(200), name::equals, name, Map.of());
    }

    static Expect prefix(String app) {
      return new Expect(
          Set.of(200), p -> p != null && p.startsWith(app + "-"), app + "-*", Map.of());
    }

    static Expect any() {
      return new Expect(Set.of(200), p -> true, "any", Map.of());
    }

    static Expect status(Integer... statuses) {
      return new Expect(Set.of(statuses), null, "none", Map.of());
    }

    Expect header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Expect(statuses, backend, backendText, more);
    }
  }

  private static HttpResponse<String> send(Req req) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + req.port() + req.path()))
            .timeout(Duration.ofSeconds(20));
    if (req.post()) {
      b.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
    } else {
      b.GET();
    }
    if (req.host() != null) {
      b.header("Host", req.host());
    }
    req.headers().forEach(b::header);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Upstream's CompareRoundTrip: null when the response matches, else why not. */
  private static String mismatch(Req req, HttpResponse<String> response, Expect expect) {
    if (!expect.statuses().contains(response.statusCode())) {
      return "status "
          + response.statusCode()
          + " not in "
          + expect.statuses()
          + ": "
          + response.body();
    }
    for (Map.Entry<String, String> h : expect.headers().entrySet()) {
      List<String> values = response.headers().allValues(h.getKey());
      if (!values.equals(List.of(h.getValue()))) {
        return "response header "
            + h.getKey()
            + "="
            + values
            + ", expected exactly ["
            + h.getValue()
            + "]";
      }
    }
    if (expect.backend() == null) {
      return null;
    }
    JsonObject echo = new JsonObject(response.body());
    if (!expect.backend().test(echo.getString("pod"))) {
      return "served by " + echo.getString("pod") + ", expected " + expect.backendText();
    }
    JsonObject received = echo.getJsonObject("headers");
    for (Map.Entry<String, String> h : req.headers().entrySet()) {
      if (!h.getValue().equals(received.getString(h.getKey().toLowerCase()))) {
        return "the backend received "
            + h.getKey()
            + "="
            + received.getString(h.getKey().toLowerCase());
      }
    }
    return null;
  }

  private static JsonObject check(HttpResponse<String> response, Expect expect) {
    String why = mismatch(new Req(0, null, "", false), response, expect);
    assertThat(why).as("response").isNull();
    return expect.backend() == null ? new JsonObject() : new JsonObject(response.body());
  }

  /** Upstream's MakeRequestAndExpectEventuallyConsistentResponse: 3 matching responses in a row. */
  private static JsonObject eventually(Req req, Expect expect) throws Exception {
    String why = null;
    HttpResponse<String> last = null;
    int inRow = 0;
    for (int attempt = 0; attempt < 600 && inRow < 3; attempt++) {
      last = send(req);
      why = mismatch(req, last, expect);
      inRow = why == null ? inRow + 1 : 0;
      if (why != null) {
        Thread.sleep(10);
      }
    }
    assertThat(why).as("%s %s %s", req.path(), req.headers(), expect.backendText()).isNull();
    return expect.backend() == null ? new JsonObject() : new JsonObject(last.body());
  }

  /**
   * Upstream's errgroup loop: {@code total} requests, {@code concurrency} at a time; a 404 or 503
   * (a gateway not yet converged) is retried, any other mismatch fails. Returns the echoes.
   */
  private static List<JsonObject> concurrently(int total, int concurrency, Req req, Expect expect)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<JsonObject>> echoes = new ArrayList<>();
      for (int n = 0; n < total; n++) {
        echoes.add(
            clients.submit(
                (Callable<JsonObject>)
                    () -> {
                      for (int attempt = 0; ; attempt++) {
                        HttpResponse<String> response = send(req);
                        String why = mismatch(req, response, expect);
                        if (why == null) {
                          return new JsonObject(response.body());
                        }
                        boolean transient_ =
                            response.statusCode() == 404 || response.statusCode() == 503;
                        assertThat(transient_ && attempt < 20).as(why).isTrue();
                        Thread.sleep(50);
                      }
                    }));
      }
      List<JsonObject> out = new ArrayList<>();
      for (Future<JsonObject> e : echoes) {
        out.add(e.get());
      }
      return out;
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * Upstream's buildEPPHeader: {@code ip} for any port, {@code ip:port} for each allowed port;
   * sorted.
   */
  private static String selection(Map<String, Set<Integer>> allowed) {
    List<String> tokens = new ArrayList<>();
    for (String ip : new TreeSet<>(allowed.keySet())) {
      if (allowed.get(ip).isEmpty()) {
        tokens.add(ip);
      } else {
        new TreeSet<>(allowed.get(ip)).forEach(p -> tokens.add(ip + ":" + p));
      }
    }
    return String.join(",", tokens);
  }
}
