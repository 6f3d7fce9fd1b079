package io.igw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.api.manifest.ManifestReader;
import io.igw.api.net.TestPorts;
import io.igw.controller.ConfigPipeline;
import io.igw.controller.KubernetesController;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.log.EventLog;
import io.igw.controller.model.RuntimeSettings;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.extproc.ExtProcOptions;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RBAC least privilege, derived from the code: the controller and the picker run in Kubernetes mode
 * against fabric8's mock API server (CRUD) on the example gateway and pool, every request they make
 * is recorded, and the chart's ClusterRole and Role must grant exactly those verbs on those
 * resources (the Lease only in the release namespace).
 */
@EnableKubernetesMockClient(crud = true)
class RbacTest {
  static final String LEGACY_POOL =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: legacy-route, namespace: default}
      spec:
        parentRefs: [{name: inference-gateway}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /legacy}}]
          backendRefs: [{group: inference.networking.x-k8s.io, kind: InferencePool, name: legacy-pool}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferencePool
      metadata: {name: legacy-pool, namespace: default}
      spec:
        selector: {app: vllm-llama3-8b}
        targetPortNumber: 8000
        extensionRef: {name: igw-picker}
      """;

  /** A policy on the example route: the picker reads it, the controller writes its status. */
  static final String RATE_LIMIT_POLICY =
      """
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: budgets, namespace: default}
      spec:
        targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm-route}]
        rules: [{limits: [{tokens: 2000, per: Minute}]}]
      """;

  KubernetesMockServer server;
  KubernetesClient client;

  private final Map<String, List<ApiRequest>> recorded = new TreeMap<>();
  private Vertx vertx;
  private KubernetesClient controllerClient;
  private KubernetesClient pickerClient;
  private PickerServer picker;
  private NginxSupervisor nginx;
  private KubernetesController controller;

  @BeforeEach
  void startBoth() throws Exception {
    NginxBinary binary = NginxBinary.find().orElse(null);
    Assumptions.assumeTrue(binary != null, "nginx not found (./igw deps installs it)");
    for (HasMetadata r : Chart.typed(Chart.render(List.of(), Map.of()))) {
      client.resource(r).create(); // the chart's GatewayClass among them
    }
    for (String file : List.of("gateway.yaml", "pool.yaml")) {
      for (HasMetadata r :
          new ManifestReader().readFile(Repo.root().resolve("examples").resolve(file))) {
        if (!r.getKind().equals("GatewayClass")) {
          client.resource(r).create();
        }
      }
    }
    // a route to a pool of the older API version, whose status the controller writes too
    for (HasMetadata r : new ManifestReader().readString("legacy", LEGACY_POOL)) {
      client.resource(r).create();
    }
    for (HasMetadata r : new ManifestReader().readString("policy", RATE_LIMIT_POLICY)) {
      client.resource(r).create();
    }
    drain(); // the test's own requests
    controllerClient = clientAs("igw-controller");
    pickerClient = clientAs("igw-picker");

    vertx = Vertx.vertx();
    picker =
        PickerServer.start(
                vertx,
                new PickerOptions()
                    .setPickApi(
                        new io.igw.picker.pick.PickApiOptions().setHost("127.0.0.1").setPort(0))
                    .setCompletionFeed(
                        new io.igw.picker.lifecycle.CompletionFeedOptions().setPort(0))
                    .setExtProc(new ExtProcOptions().setPort(0))
                    .setKubernetes(true)
                    .setKubernetesClient(pickerClient))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);

    NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-rbac-")).create();
    int port = TestPorts.take();
    RuntimeSettings settings =
        RuntimeSettings.builder()
            .prefix(prefix.root().toString())
            .jsModule(binary.jsModule() == null ? null : binary.jsModule().toString())
            .njsDir(Repo.root().resolve("njs").toString())
            .pickerAddress("127.0.0.1:9")
            .listenAddress("127.0.0.1")
            .bodyLimitBytes(RuntimeSettings.DEFAULT_BODY_LIMIT_BYTES)
            .workerProcesses(1)
            .user(RuntimeSettings.workerUser())
            .pickTimeoutMs(2000)
            .build();
    nginx = new NginxSupervisor(binary, prefix);
    controller =
        new KubernetesController(
            controllerClient,
            ConfigPipeline.create(binary, Repo.root().resolve("nginx-conf"), "igw-picker"),
            settings,
            port,
            prefix,
            nginx,
            50,
            new EventLog(new java.io.PrintStream(OutputStream.nullOutputStream())));
  }

  @AfterEach
  void stopBoth() throws Exception {
    if (controller != null) {
      controller.close();
      nginx.close();
    }
    if (picker != null) {
      picker.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    for (KubernetesClient c : new KubernetesClient[] {controllerClient, pickerClient}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void theRolesGrantWhatTheControllerAndPickerCallAndNothingElse() throws Exception {
    controller.start(Chart.NAMESPACE, "igw-controller");
    // leader: the Lease is taken, then renewed; status written to the gateway and the rate limit
    // policy; the picker synced its pools
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              record();
              assertThat(
                      client
                          .resources(Gateway.class)
                          .inNamespace("default")
                          .withName("inference-gateway")
                          .get()
                          .getStatus()
                          .getConditions())
                  .isNotEmpty();
              assertThat(
                      client
                          .resources(TokenRateLimitPolicy.class)
                          .inNamespace("default")
                          .withName("budgets")
                          .get()
                          .getStatus()
                          .getAncestors())
                  .isNotEmpty();
              assertThat(recorded.getOrDefault("igw-controller", List.of()))
                  .anyMatch(r -> "leases".equals(r.resource()) && r.verb().equals("patch"));
              assertThat(
                      client
                          .resources(Lease.class)
                          .inNamespace(Chart.NAMESPACE)
                          .withName("igw-controller")
                          .get())
                  .isNotNull();
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/ready") == 200);
    record();

    List<HasMetadata> chart = Chart.typed(Chart.render(List.of(), Map.of()));
    List<PolicyRule> clusterRules = only(chart, ClusterRole.class).getRules();
    List<PolicyRule> namespaceRules = only(chart, Role.class).getRules();
    Set<String> used = new TreeSet<>();
    List<String> denied = new ArrayList<>();
    recorded.forEach(
        (component, requests) ->
            requests.stream()
                .filter(r -> r.resource() != null)
                .forEach(
                    r -> {
                      boolean inReleaseNamespace = Chart.NAMESPACE.equals(r.namespace());
                      if (grants(clusterRules, r)) {
                        used.add("ClusterRole " + r.permission());
                      } else if (inReleaseNamespace && grants(namespaceRules, r)) {
                        used.add("Role " + r.permission());
                      } else {
                        denied.add(component + ": " + r.permission() + " (" + r.path() + ")");
                      }
                    }));
    System.out.println("event=rbac_recorded used=" + used);
    assertThat(denied).as("requests the chart's roles do not allow").isEmpty();
    Set<String> granted = new TreeSet<>();
    clusterRules.forEach(rule -> granted.addAll(permissions("ClusterRole", rule)));
    namespaceRules.forEach(rule -> granted.addAll(permissions("Role", rule)));
    assertThat(granted).as("the roles grant exactly what the code calls").isEqualTo(used);
  }

  @Test
  void requestPathsReadAsRbacSeesThem() {
    assertThat(ApiRequest.of("GET", "/api/v1/pods?watch=true&resourceVersion=1").permission())
        .isEqualTo("core/pods watch");
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces?limit=500").permission())
        .isEqualTo("core/namespaces list");
    assertThat(ApiRequest.of("GET", "/api/v1/namespaces/gw").permission())
        .isEqualTo("core/namespaces get");
    ApiRequest status =
        ApiRequest.of(
            "PUT", "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways/g/status");
    assertThat(status.permission()).isEqualTo("gateway.networking.k8s.io/gateways/status update");
    assertThat(status.namespace()).isEqualTo("default");
    assertThat(
            ApiRequest.of("POST", "/apis/coordination.k8s.io/v1/namespaces/gw/leases").permission())
        .isEqualTo("coordination.k8s.io/leases create");
    assertThat(ApiRequest.of("GET", "/version").resource()).isNull();
  }

  private KubernetesClient clientAs(String userAgent) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(userAgent).build())
        .build();
  }

  private void drain() throws InterruptedException {
    while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
      // dropped: made by the test itself
    }
  }

  private synchronized void record() throws InterruptedException {
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      String agent = String.valueOf(request.getHeader("User-Agent"));
      String component = agent.startsWith("igw-") ? agent : "test";
      if (!component.equals("test")) {
        recorded
            .computeIfAbsent(component, k -> new ArrayList<>())
            .add(ApiRequest.of(request.getMethod(), request.getPath()));
      }
    }
  }

  private int get(String path) {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      return http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + picker.port() + path))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean grants(List<PolicyRule> rules, ApiRequest r) {
    return rules.stream()
        .anyMatch(
            rule ->
                rule.getApiGroups().contains(r.group())
                    && rule.getResources().contains(r.resource())
                    && rule.getVerbs().contains(r.verb()));
  }

  private static List<String> permissions(String role, PolicyRule rule) {
    List<String> out = new ArrayList<>();
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          out.add(role + " " + new ApiRequest(group, resource, verb, null, "").permission());
        }
      }
    }
    return out;
  }

  private static <T> T only(List<HasMetadata> resources, Class<T> type) {
    List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }
}
