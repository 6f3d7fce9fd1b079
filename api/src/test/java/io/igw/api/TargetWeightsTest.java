package io.igw.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.manifest.ManifestReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetWeightsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]                                          | false",
        "[{name: a}, {name: b}]                      | false",
        "[{name: a, weight: 90}, {name: b, weight: 0}] | false",
        "[{name: a, weight: 90}, {name: b}]          | true",
        "[{name: a}, {name: b, weight: 10}]          | true"
      })
  void inferenceModelWeightsOnAllTargetsOrNone(String targets, boolean mixed) {
    InferenceModel model =
        (InferenceModel)
            new ManifestReader()
                .readString(
                    "test",
                    """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata: {name: m, namespace: default}
        spec: {modelName: m, poolRef: {name: p}, targetModels: %s}
        """
                        .formatted(targets))
                .get(0);
    assertThat(model.getSpec().hasMixedWeights()).isEqualTo(mixed);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[{modelRewrite: a}, {modelRewrite: b}]                      | false",
        "[{modelRewrite: a, weight: 1}, {modelRewrite: b, weight: 3}] | false",
        "[{modelRewrite: a, weight: 1}, {modelRewrite: b}]           | true"
      })
  void rewriteRuleWeightsOnAllTargetsOrNone(String targets, boolean mixed) {
    InferenceModelRewrite rewrite =
        (InferenceModelRewrite)
            new ManifestReader()
                .readString(
                    "test",
                    """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModelRewrite
        metadata: {name: r, namespace: default}
        spec: {poolRef: {name: p}, rules: [{targets: %s}]}
        """
                        .formatted(targets))
                .get(0);
    assertThat(rewrite.getSpec().rules().get(0).hasMixedWeights()).isEqualTo(mixed);
  }
}
