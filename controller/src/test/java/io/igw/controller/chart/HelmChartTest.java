package io.igw.controller.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.igw.api.manifest.ManifestReader;
import io.igw.controller.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart lints and renders what the controller and picker need, with helm-java (no helm
 * binary).
 */
class HelmChartTest {
  private static final Path CHART = Fixtures.repo("charts").resolve("igw");

  @Test
  void lints() {
    var result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rendersTheGatewayPodAndItsPermissions() {
    String yaml = new Helm(CHART).template().withName("demo").withNamespace("gw").call();
    List<HasMetadata> resources = new ManifestReader().readString("chart", yaml);
    assertThat(resources)
        .extracting(HasMetadata::getKind)
        .contains(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "GatewayClass",
            "Deployment",
            "Service");
    Deployment deployment =
        new ManifestReader()
            .readString("chart", yaml).stream()
                .filter(r -> r.getKind().equals("Deployment"))
                .map(
                    r ->
                        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                            io.fabric8.kubernetes.client.utils.Serialization.asYaml(r),
                            Deployment.class))
                .findFirst()
                .orElseThrow();
    var containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).extracting(c -> c.getName()).containsExactly("controller", "picker");
    assertThat(containers.get(0).getArgs())
        .contains(
            "kubernetes",
            "--picker=127.0.0.1:9001",
            "--completion-feed=127.0.0.1:9514",
            "--picker-service=igw-picker",
            "--picker-max-conns=128",
            "--connections-per-client=64",
            "--epp-response-phase=report")
        .noneMatch(a -> a.startsWith("--picker-relay"));
    assertThat(containers.get(1).getArgs())
        .contains("--kubernetes", "--syslog-port=9514", "--scheduler-preset=default")
        .doesNotContain("--flow-control")
        .noneMatch(a -> a.startsWith("--pick-threads") || a.startsWith("--relay-port"));
    assertThat(yaml).contains("inferencepools/status").contains("leases");
  }

  @Test
  void aPickerConfigBecomesAConfigMap() {
    String yaml =
        new Helm(CHART)
            .template()
            .withName("demo")
            .set(
                "picker.config",
                "apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\n")
            .set("gatewayClass.create", "false")
            .call();
    assertThat(yaml)
        .contains("kind: ConfigMap")
        .contains("kind: EndpointPickerConfig")
        .contains("--config=/etc/igw/picker-config.yaml")
        .doesNotContain("kind: GatewayClass");
  }

  @Test
  void relayModeStartsThePickersRelayAndPointsNginxAtIt() {
    String yaml =
        new Helm(CHART)
            .template()
            .withName("demo")
            .set("controller.eppResponsePhase", "relay")
            .set("picker.relayPort", "9113")
            .set("controller.relayMaxConns", "32")
            .call();
    assertThat(yaml)
        .contains("- --epp-response-phase=relay")
        .contains("- --picker-relay=127.0.0.1:9113")
        .contains("- --relay-max-conns=32")
        .contains("- --relay-port=9113");
  }

  @Test
  void flowControlAndPickThreadsBecomePickerFlags() {
    String yaml =
        new Helm(CHART)
            .template()
            .withName("demo")
            .set("picker.flowControl", "true")
            .set("picker.pickThreads", "4")
            .call();
    assertThat(yaml).contains("- --flow-control").contains("- --pick-threads=4");
  }
}
