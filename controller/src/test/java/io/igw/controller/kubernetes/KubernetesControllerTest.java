package io.igw.controller.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.igw.api.manifest.ManifestReader;
import io.igw.api.net.TestPorts;
import io.igw.controller.ConfigPipeline;
import io.igw.controller.Fixtures;
import io.igw.controller.KubernetesController;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.log.EventLog;
import io.igw.controller.model.RuntimeSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes path against fabric8's mock API server in CRUD mode, with a real NGINX. */
@EnableKubernetesMockClient(crud = true)
class KubernetesControllerTest {
  KubernetesClient client;

  private NginxPrefix prefix;
  private NginxSupervisor nginx;
  private KubernetesController controller;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private int port;

  @BeforeEach
  void start() throws Exception {
    NginxBinary binary = Fixtures.nginx();
    prefix = new NginxPrefix(Files.createTempDirectory("igw-k8s-")).create();
    port = TestPorts.take();
    RuntimeSettings settings = Fixtures.settings(binary, prefix, null);
    ConfigPipeline pipeline = Fixtures.pipeline(binary);
    nginx = new NginxSupervisor(binary, prefix);
    controller =
        new KubernetesController(
            client,
            pipeline,
            settings,
            port,
            prefix,
            nginx,
            50,
            new EventLog(new PrintStream(log, true)));
  }

  @AfterEach
  void stop() {
    controller.close();
    nginx.close();
  }

  @Test
  void createUpdateDeleteAreFollowedByConfigAndStatus() throws Exception {
    for (HasMetadata r :
        new ManifestReader().readFile(Fixtures.repo("examples").resolve("gateway.yaml"))) {
      client.resource(r).create();
    }
    for (HasMetadata r :
        new ManifestReader().readFile(Fixtures.repo("examples").resolve("pool.yaml"))) {
      client.resource(r).create();
    }
    // another controller's parent entry on our pool must survive our status writes
    var other =
        client
            .genericKubernetesResources(poolContext())
            .inNamespace("default")
            .withName("vllm-llama3-8b")
            .get();
    other.setAdditionalProperty(
        "status",
        Map.of(
            "parents",
            List.of(
                Map.of(
                    "controllerName",
                    "example.com/other",
                    "parentRef",
                    Map.of("name", "other-gateway"),
                    "conditions",
                    List.of()))));
    client
        .genericKubernetesResources(poolContext())
        .inNamespace("default")
        .withName("vllm-llama3-8b")
        .updateStatus(other);
    controller.start("default", "igw-test");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(controller.leading()).isTrue();
              assertThat(conf()).contains("listen 127.0.0.1:" + port).contains("127.0.0.11:8000");
              assertThat(
                      conditions(
                          "gateway.networking.k8s.io/v1",
                          "Gateway",
                          "default",
                          "inference-gateway"))
                  .contains("Programmed=True");
              assertThat(poolParents()).containsExactly("other-gateway", "inference-gateway");
              assertThat(
                      conditions(
                          "gateway.networking.k8s.io/v1", "HTTPRoute", "default", "llm-route"))
                  .contains("Accepted=True", "ResolvedRefs=True");
            });
    assertThat(nginx.running()).isTrue();

    // update: the route now serves /v1 only
    client
        .resources(HTTPRoute.class)
        .inNamespace("default")
        .withName("llm-route")
        .edit(
            r -> {
              r.getSpec().getRules().get(0).getMatches().get(0).getPath().setValue("/v1");
              return r;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(conf()).contains("location /v1/ {"));

    // a new pod joins the pool
    client
        .resource(
            new ManifestReader()
                .readString(
                    "pod",
                    """
        apiVersion: v1
        kind: Pod
        metadata: {name: vllm-llama3-8b-3, namespace: default, labels: {app: vllm-llama3-8b}}
        status: {podIP: 127.0.0.14, conditions: [{type: Ready, status: "True"}]}
        """)
                .get(0))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(conf()).contains("127.0.0.14:8000"));

    // delete: the pool's parent entry is cleared
    client.resources(HTTPRoute.class).inNamespace("default").withName("llm-route").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(poolParents()).containsExactly("other-gateway");
              assertThat(conf()).doesNotContain("location /v1/ {");
            });
    assertThat(log.toString()).contains("event=nginx_started").contains("event=nginx_reloaded");
    // the first config came from complete caches, not from whichever informer listed first
    assertThat(
            log.toString()
                .lines()
                .filter(l -> l.contains("event=nginx_started"))
                .findFirst()
                .orElseThrow())
        .contains("servers=1")
        .contains("pools=1");
  }

  private static ResourceDefinitionContext poolContext() {
    return new ResourceDefinitionContext.Builder()
        .withGroup("inference.networking.k8s.io")
        .withVersion("v1")
        .withKind("InferencePool")
        .withPlural("inferencepools")
        .withNamespaced(true)
        .build();
  }

  private String conf() throws Exception {
    var file = prefix.root().resolve("conf/nginx.conf");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @SuppressWarnings("unchecked")
  private List<String> poolParents() {
    Map<String, Object> status =
        status("inference.networking.k8s.io/v1", "InferencePool", "default", "vllm-llama3-8b");
    List<Map<String, Object>> parents =
        status == null
            ? List.of()
            : (List<Map<String, Object>>) status.getOrDefault("parents", List.of());
    return parents.stream()
        .map(p -> (String) ((Map<String, Object>) p.get("parentRef")).get("name"))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private List<String> conditions(String apiVersion, String kind, String ns, String name) {
    Map<String, Object> status = status(apiVersion, kind, ns, name);
    if (status == null) {
      return List.of();
    }
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
    if (conditions == null
        && status.get("parents") instanceof List<?> parents
        && !parents.isEmpty()) {
      conditions =
          (List<Map<String, Object>>) ((Map<String, Object>) parents.get(0)).get("conditions");
    }
    return conditions == null
        ? List.of()
        : conditions.stream().map(c -> c.get("type") + "=" + c.get("status")).toList();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status(String apiVersion, String kind, String ns, String name) {
    String[] gv = apiVersion.split("/");
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup(gv[0])
                    .withVersion(gv[1])
                    .withKind(kind)
                    .withPlural(kind.toLowerCase() + "s")
                    .withNamespaced(true)
                    .build())
            .inNamespace(ns)
            .withName(name)
            .get();
    return r == null ? null : (Map<String, Object>) r.getAdditionalProperties().get("status");
  }
}
