package io.igw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's manifests, for the default values and for values-ha.yaml: every field known to the
 * Kubernetes API (strict reading into fabric8's typed models), accepted by fabric8's mock API
 * server in CRUD mode, and a gateway pod that runs the image as ./igw image builds it, non-root on
 * a read-only root, with probes and resource requests.
 */
@EnableKubernetesMockClient(crud = true)
class ChartManifestsTest {
  KubernetesClient client;

  static Stream<Arguments> valueSets() {
    return Stream.of(
        Arguments.of("default", List.of()), Arguments.of("ha", List.of(Chart.haValues())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyFieldIsOneTheApiKnows(String name, List<Path> values) {
    for (HasMetadata resource : Chart.typed(Chart.render(values, Map.of()))) {
      assertThat(Chart.unknownFields(resource))
          .as("%s %s", resource.getKind(), resource.getMetadata().getName())
          .isEmpty();
    }
  }

  @Test
  void theStrictReadingFindsAMisspelledField() {
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
              - name: c
                image: i
                securityContext: {readOnlyRootFilesytem: true}
        """;
    assertThat(Chart.unknownFields(Chart.typed(yaml).get(0)))
        .containsExactly(
            "Deployment.spec.template.spec.containers[0].securityContext: [readOnlyRootFilesytem]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void theApiServerStoresEveryResource(String name, List<Path> values) {
    List<HasMetadata> resources = Chart.typed(Chart.render(values, Map.of()));
    for (HasMetadata resource : resources) {
      client.resource(resource).create();
    }
    for (HasMetadata resource : resources) {
      HasMetadata stored = client.resource(resource).get();
      assertThat(stored)
          .as("%s %s", resource.getKind(), resource.getMetadata().getName())
          .isNotNull();
      assertThat(stored.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
    }
    assertThat(resources)
        .extracting(HasMetadata::getKind)
        .contains(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "GatewayClass",
            "Deployment",
            "Service");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void theGatewayPodRunsTheImageLockedDown(String name, List<Path> values) {
    Deployment deployment = deployment(values);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSysctls())
        .anySatisfy(
            s -> {
              assertThat(s.getName()).isEqualTo("net.ipv4.ip_unprivileged_port_start");
              assertThat(s.getValue()).isEqualTo("0");
            });
    assertThat(pod.getContainers())
        .extracting(Container::getName)
        .containsExactly("controller", "picker");
    for (Container c : pod.getContainers()) {
      assertThat(c.getImage()).as(c.getName()).isEqualTo("localhost/igw:0.1.0");
      assertThat(c.getArgs().get(0)).isEqualTo(c.getName());
      var security = c.getSecurityContext();
      assertThat(security.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
      assertThat(security.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
      assertThat(security.getRunAsNonRoot()).as(c.getName()).isTrue();
      assertThat(security.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
      assertThat(security.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
      assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
      assertThat(c.getResources().getLimits()).as(c.getName()).containsKey("memory");
      // the one writable place: an emptyDir at the image's state folder
      assertThat(c.getVolumeMounts())
          .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/igw"));
    }
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().endsWith("-state"))
        .hasSize(2)
        .allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    Container controller = pod.getContainers().get(0);
    Container picker = pod.getContainers().get(1);
    assertThat(controller.getArgs())
        .contains(
            "--prefix=/var/lib/igw/nginx", "--templates=/opt/igw/nginx-conf", "--njs=/opt/igw/njs");
    assertThat(controller.getArgs()).contains("--health-port=9004");
    assertThat(command(controller.getReadinessProbe()))
        .containsExactly("/opt/igw/entrypoint.sh", "health", "/ready");
    assertThat(command(controller.getLivenessProbe()))
        .containsExactly("/opt/igw/entrypoint.sh", "health", "/health");
    assertThat(command(picker.getReadinessProbe()))
        .containsExactly("/opt/igw/entrypoint.sh", "health", "/ready");
    assertThat(command(picker.getLivenessProbe()))
        .containsExactly("/opt/igw/entrypoint.sh", "health", "/health");
  }

  @Test
  void theHaValuesSpreadThreeReplicasAndKeepTwoThroughDrains() {
    List<Path> ha = List.of(Chart.haValues());
    Deployment deployment = deployment(ha);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    var spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
    assertThat(spread)
        .extracting(c -> c.getTopologyKey())
        .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    assertThat(spread)
        .allSatisfy(
            c ->
                assertThat(c.getLabelSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels()));
    PodDisruptionBudget pdb =
        Chart.typed(Chart.render(ha, Map.of())).stream()
            .filter(PodDisruptionBudget.class::isInstance)
            .map(PodDisruptionBudget.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(Chart.typed(Chart.render(List.of(), Map.of())))
        .noneMatch(PodDisruptionBudget.class::isInstance);
  }

  @Test
  void theImageRepositoryAndTagAreValues() {
    Deployment deployment =
        Chart.typed(
                Chart.render(
                    List.of(),
                    Map.of("image.repository", "registry.example/igw", "image.tag", "dev")))
            .stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
        .allSatisfy(c -> assertThat(c.getImage()).isEqualTo("registry.example/igw:dev"));
  }

  static Deployment deployment(List<Path> values) {
    return Chart.typed(Chart.render(values, Map.of())).stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .findFirst()
        .orElseThrow();
  }

  static List<String> command(Probe probe) {
    assertThat(probe).isNotNull();
    return probe.getExec().getCommand();
  }
}
