package io.igw.picker.extproc;

/** A rewrite of model {@code alias} to {@code lora-a} in pool {@code p}. */
final class ExtProcServerTestRewrite {
  static final String YAML =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModelRewrite
      metadata: {name: alias}
      spec:
        poolRef: {name: p}
        rules: [{matches: [{model: {type: Exact, value: alias}}], targets: [{modelRewrite: lora-a}]}]
      """;

  private ExtProcServerTestRewrite() {}
}
