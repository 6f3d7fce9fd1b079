package io.igw.controller.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyAncestorStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.api.manifest.ManifestReader;
import io.igw.api.net.TestPorts;
import io.igw.controller.ControllerMain;
import io.igw.controller.Fixtures;
import io.igw.controller.KubernetesController;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.apply.NginxSupervisor;
import io.igw.controller.log.EventLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TokenRateLimitPolicy status ({@code status.ancestors}) written by the controller, against
 * fabric8's mock API server in CRUD mode, with a real NGINX: the verdict per target, a flip when
 * the target appears, lastTransitionTime and observedGeneration, no rewrite when nothing changed,
 * and a cluster without the CRD.
 */
@EnableKubernetesMockClient(crud = true)
class RateLimitPolicyStatusTest {
  private static final String OLD_TIME = "2020-01-01T00:00:00Z";

  KubernetesMockServer server;
  KubernetesClient client;

  private NginxSupervisor nginx;
  private KubernetesController controller;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    NginxBinary binary = Fixtures.nginx();
    NginxPrefix prefix = new NginxPrefix(Files.createTempDirectory("igw-rl-status-")).create();
    nginx = new NginxSupervisor(binary, prefix);
    controller =
        new KubernetesController(
            client,
            Fixtures.pipeline(binary),
            Fixtures.settings(binary, prefix, null),
            TestPorts.take(),
            prefix,
            nginx,
            50,
            new EventLog(new PrintStream(log, true)));
    for (String file : List.of("gateway.yaml", "pool.yaml")) {
      for (HasMetadata r : new ManifestReader().readFile(Fixtures.repo("examples").resolve(file))) {
        client.resource(r).create();
      }
    }
  }

  @AfterEach
  void stop() {
    controller.close();
    nginx.close();
    // drops the client's connections before the extension shuts the mock server down: its
    // shutdown waits for open connections and gave up once under load ("Unable to close")
    client.close();
  }

  @Test
  void eachPolicySaysWhetherItIsAcceptedOnEachTarget() {
    create(policy("accepted", "HTTPRoute", "llm-route", "limits: [{tokens: 2000, per: Minute}]"));
    create(
        policy(
            "invalid",
            "HTTPRoute",
            "llm-route",
            "limits: [{tokens: 5, per: Minute}]}, {name: a, limits: [{tokens: 5, per: Minute}]"));
    create(policy("waiting", "HTTPRoute", "later-route", "limits: [{requests: 5, per: Hour}]"));
    controller.start("default", "igw-test");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(accepted("accepted")).isNotNull();
              assertThat(accepted("invalid")).isNotNull();
              assertThat(accepted("waiting")).isNotNull();
            });
    PolicyAncestorStatus ancestor = only("accepted");
    assertThat(ancestor.getControllerName()).isEqualTo(ControllerMain.CONTROLLER_NAME);
    assertThat(ancestor.getAncestorRef().getGroup()).isEqualTo("gateway.networking.k8s.io");
    assertThat(ancestor.getAncestorRef().getKind()).isEqualTo("HTTPRoute");
    assertThat(ancestor.getAncestorRef().getNamespace()).isEqualTo("default");
    assertThat(ancestor.getAncestorRef().getName()).isEqualTo("llm-route");
    Condition ok = accepted("accepted");
    assertThat(ok.getStatus()).isEqualTo("True");
    assertThat(ok.getReason()).isEqualTo("Accepted");
    assertThat(ok.getMessage()).isEqualTo("1 rules on [default/vllm-llama3-8b]");
    assertThat(ok.getObservedGeneration()).isEqualTo(generation("accepted"));
    assertThat(ok.getLastTransitionTime()).isNotBlank();

    Condition invalid = accepted("invalid");
    assertThat(invalid.getStatus()).isEqualTo("False");
    assertThat(invalid.getReason()).isEqualTo("Invalid");
    assertThat(invalid.getMessage()).isEqualTo("spec.rules[1].name a is used twice");

    Condition waiting = accepted("waiting");
    assertThat(waiting.getStatus()).isEqualTo("False");
    assertThat(waiting.getReason()).isEqualTo("TargetNotFound");
    assertThat(waiting.getMessage()).isEqualTo("HTTPRoute default/later-route not found");

    // an unchanged verdict keeps its lastTransitionTime (set back here to tell it from a fresh one)
    // and is not written again
    setTransitionTime("accepted", OLD_TIME);
    String acceptedVersion = resourceVersion("accepted");

    // the missing route appears: the waiting policy flips to Accepted, the others stay as they are
    client
        .resource(
            new ManifestReader()
                .readString(
                    "route",
                    """
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: later-route, namespace: default}
                    spec:
                      parentRefs: [{name: inference-gateway}]
                      rules:
                      - matches: [{path: {type: PathPrefix, value: /later}}]
                        backendRefs:
                        - {group: inference.networking.k8s.io, kind: InferencePool, name: vllm-llama3-8b}
                    """)
                .get(0))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(accepted("waiting").getStatus()).isEqualTo("True"));
    assertThat(accepted("waiting").getReason()).isEqualTo("Accepted");
    assertThat(accepted("waiting").getMessage()).isEqualTo("1 rules on [default/vllm-llama3-8b]");
    assertThat(accepted("accepted").getLastTransitionTime()).isEqualTo(OLD_TIME);
    assertThat(resourceVersion("accepted")).isEqualTo(acceptedVersion);
    assertThat(accepted("invalid").getReason()).isEqualTo("Invalid");

    // a spec change: a new generation, which observedGeneration follows; the verdict is the same,
    // so is its time
    long before = generation("accepted");
    client
        .resources(TokenRateLimitPolicy.class)
        .inNamespace("default")
        .withName("accepted")
        .edit(
            p -> {
              p.setSpec(
                  new TokenRateLimitPolicy.Spec(
                      p.getSpec().targetRefs(),
                      null,
                      List.of(
                          new TokenRateLimitPolicy.Rule(
                              "a",
                              null,
                              List.of(new TokenRateLimitPolicy.Limit(3000L, null, "Minute", null)),
                              null))));
              return p;
            });
    long after = generation("accepted");
    assertThat(after).isGreaterThan(before);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(accepted("accepted").getObservedGeneration()).isEqualTo(after));
    assertThat(accepted("accepted").getLastTransitionTime()).isEqualTo(OLD_TIME);
    assertThat(accepted("accepted").getStatus()).isEqualTo("True");
  }

  @Test
  void aPolicyOnAPoolAndAMissingOneGetOneAncestorEach() {
    create(
        """
        apiVersion: gateway.igw.io/v1alpha1
        kind: TokenRateLimitPolicy
        metadata: {name: two, namespace: default}
        spec:
          targetRefs:
          - {group: inference.networking.k8s.io, kind: InferencePool, name: vllm-llama3-8b}
          - {group: inference.networking.k8s.io, kind: InferencePool, name: gone}
          - {group: inference.networking.k8s.io, kind: InferencePool, name: gone}
          rules: [{limits: [{tokens: 10, per: Day}]}]
        """);
    controller.start("default", "igw-test");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(ancestors("two")).hasSize(2));
    List<PolicyAncestorStatus> ancestors = ancestors("two");
    assertThat(ancestors)
        .extracting(a -> a.getAncestorRef().getKind() + " " + a.getAncestorRef().getName())
        .containsExactly("InferencePool vllm-llama3-8b", "InferencePool gone");
    assertThat(ancestors.get(0).getConditions().get(0).getReason()).isEqualTo("Accepted");
    assertThat(ancestors.get(1).getConditions().get(0).getReason()).isEqualTo("TargetNotFound");
    assertThat(ancestors.get(1).getConditions().get(0).getMessage())
        .isEqualTo("InferencePool default/gone not found");
  }

  @Test
  void withoutTheCrdTheGatewayIsServedAndThePoliciesAreSkipped() throws Exception {
    server
        .expect()
        .get()
        .withPath("/apis/gateway.igw.io/v1alpha1/tokenratelimitpolicies?resourceVersion=0")
        .andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":404}")
        .always();
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // the set-up's own requests
    }
    controller.start("default", "igw-test");

    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(Gateway.class)
                            .inNamespace("default")
                            .withName("inference-gateway")
                            .get()
                            .getStatus()
                            .getConditions())
                    .anyMatch(
                        c -> c.getType().equals("Programmed") && c.getStatus().equals("True")));
    assertThat(log.toString().lines().filter(l -> l.contains("event=rate_limit_policy_status_off")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("tokenratelimitpolicies.gateway.igw.io"));
    List<String> policyCalls = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (request.getPath().contains("tokenratelimitpolicies")) {
        policyCalls.add(request.getMethod() + " " + request.getPath());
      }
    }
    assertThat(policyCalls)
        .as("one failed list, then nothing")
        .containsExactly(
            "GET /apis/gateway.igw.io/v1alpha1/tokenratelimitpolicies?resourceVersion=0");
  }

  private static String policy(String name, String kind, String target, String rules) {
    String group =
        kind.equals("HTTPRoute") ? "gateway.networking.k8s.io" : "inference.networking.k8s.io";
    return """
        apiVersion: gateway.igw.io/v1alpha1
        kind: TokenRateLimitPolicy
        metadata: {name: %s, namespace: default}
        spec:
          targetRefs: [{group: %s, kind: %s, name: %s}]
          rules: [{name: a, %s}]
        """
        .formatted(name, group, kind, target, rules);
  }

  private void create(String yaml) {
    client.resource(new ManifestReader().readString("policy", yaml).get(0)).create();
  }

  private TokenRateLimitPolicy read(String name) {
    return client.resources(TokenRateLimitPolicy.class).inNamespace("default").withName(name).get();
  }

  private List<PolicyAncestorStatus> ancestors(String name) {
    PolicyStatus status = read(name).getStatus();
    return status == null || status.getAncestors() == null ? List.of() : status.getAncestors();
  }

  private PolicyAncestorStatus only(String name) {
    assertThat(ancestors(name)).hasSize(1);
    return ancestors(name).get(0);
  }

  /** The Accepted condition of the policy's only ancestor, or null while it has none. */
  private Condition accepted(String name) {
    List<PolicyAncestorStatus> ancestors = ancestors(name);
    if (ancestors.size() != 1) {
      return null;
    }
    return ancestors.get(0).getConditions().stream()
        .filter(c -> c.getType().equals("Accepted"))
        .findFirst()
        .orElse(null);
  }

  private long generation(String name) {
    Long generation = read(name).getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private String resourceVersion(String name) {
    return read(name).getMetadata().getResourceVersion();
  }

  private void setTransitionTime(String name, String time) {
    TokenRateLimitPolicy policy = read(name);
    policy.getStatus().getAncestors().get(0).getConditions().get(0).setLastTransitionTime(time);
    client.resource(policy).updateStatus();
  }
}
