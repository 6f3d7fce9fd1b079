package io.igw.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.igw.api.InferencePool;
import io.igw.api.PoolEndpoints;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestReaderTest {
  private final ManifestReader reader = new ManifestReader();

  @Test
  void readsTheDemoExamplesIntoTypes() {
    var resources = reader.readFolder(Path.of("../examples"));
    assertThat(resources).anyMatch(r -> r instanceof HTTPRoute);
    InferencePool pool =
        resources.stream()
            .filter(InferencePool.class::isInstance)
            .map(InferencePool.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(pool.getSpec().targetPorts()).extracting(p -> p.number()).containsExactly(8000);
    List<Pod> pods = resources.stream().filter(Pod.class::isInstance).map(Pod.class::cast).toList();
    assertThat(PoolEndpoints.of(pool, pods))
        .containsExactly("127.0.0.11:8000", "127.0.0.12:8000", "127.0.0.13:8000");
  }

  @Test
  void v1alpha2PoolConvertsToV1() {
    var resources =
        reader.readString(
            "t",
            """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferencePool
        metadata: {name: old}
        spec:
          selector: {app: x}
          targetPortNumber: 8000
          extensionRef: {name: epp, failureMode: FailOpen}
        """);
    var v1 = ((io.igw.api.v1alpha2.InferencePool) resources.get(0)).toV1();
    assertThat(v1.getSpec().selector().getMatchLabels()).containsEntry("app", "x");
    assertThat(v1.getSpec().endpointPickerRef().port().number()).isEqualTo(9002);
    assertThat(v1.getSpec().endpointPickerRef().failOpen()).isTrue();
    assertThat(v1.getMetadata().getNamespace()).isEqualTo("default");
  }

  @Test
  void unknownKindsStayGeneric() {
    var resources = reader.readString("t", "apiVersion: x/v1\nkind: Thing\nmetadata: {name: a}\n");
    assertThat(resources.get(0)).isInstanceOf(GenericKubernetesResource.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'kind: Pod'                                              | apiVersion and kind are required",
        "'apiVersion: v1\nkind: Pod'                              | has no metadata.name",
        "'- a\n- b'                                               | must be a mapping",
        "'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed'  | t document 1",
        "'apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata: {name: p}\nspec: {targetPorts: 5}' | InferencePool p",
      })
  void badManifestsNameTheProblem(String yaml, String message) {
    assertThatThrownBy(() -> reader.readString("t", yaml.replace("\\n", "\n")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(message);
  }

  @Test
  void emptyDocumentsAreSkipped() {
    assertThat(reader.readString("t", "---\n---\n")).isEmpty();
  }
}
