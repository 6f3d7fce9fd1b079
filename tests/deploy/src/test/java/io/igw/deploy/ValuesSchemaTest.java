package io.igw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * values.schema.json: bad values fail helm install/template with a message naming the value; good
 * ones pass.
 */
class ValuesSchemaTest {
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      replicaCount          | 0             | replicaCount: Must be greater than or equal to 1
      image.pullPolicy      | Sometimes     | image.pullPolicy: image.pullPolicy must be one of the following
      image.repository      | Not/An/Image! | image.repository: Does not match pattern
      picker.schedulerPreset| fastest       | picker.schedulerPreset: picker.schedulerPreset must be one of the following
      picker.port           | 70000         | picker.port: Must be less than or equal to 65535
      service.type          | External      | service.type: service.type must be one of the following
      controller.connectionsPerClient | -1  | controller.connectionsPerClient: Must be greater than or equal to 0
      topologySpread.whenUnsatisfiable | Never | topologySpread.whenUnsatisfiable must be one of the following
      controller.eppResponsePhase | stream  | controller.eppResponsePhase: controller.eppResponsePhase must be one of the following
      controller.bodylimitBytes | 1         | Additional property bodylimitBytes is not allowed
      replicas              | 3             | Additional property replicas is not allowed
      picker.flowcontrol    | true          | Additional property flowcontrol is not allowed
      """)
  void aBadValueIsRejectedByName(String key, String value, String message) {
    assertThatThrownBy(() -> Chart.render(List.of(), Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  @Test
  void aWrongTypeInAValuesFileIsRejected() throws Exception {
    Path values = Files.createTempFile("igw-values-", ".yaml");
    Files.writeString(
        values, "replicaCount: two\npicker:\n  resources:\n    requests: {memory: lots}\n");
    assertThatThrownBy(() -> Chart.render(List.of(values), Map.of()))
        .hasMessageContaining("replicaCount: Invalid type. Expected: integer, given: string")
        .hasMessageContaining("picker.resources.requests.memory: Does not match pattern");
  }

  @Test
  void theShippedValuesPassAndLint() {
    assertThat(Chart.render(List.of(), Map.of())).contains("kind: Deployment");
    assertThat(Chart.render(List.of(Chart.haValues()), Map.of()))
        .contains("kind: PodDisruptionBudget");
    var lint = new Helm(Repo.chart()).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }
}
