package io.igw.picker.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.TargetWeights;
import io.igw.picker.datastore.PoolPolicies.WeightedTarget;
import io.igw.picker.testing.CapturedLog;
import io.igw.picker.testing.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Policies from static manifests (local mode: YAML read by the api module's ManifestReader). */
class PolicyResolverTest {
  static final PoolName POOL = new PoolName("default", "p");
  static final String MIXED_MODEL =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModel
      metadata: {name: review-mixed, namespace: default, creationTimestamp: "2024-01-01T00:00:00Z"}
      spec:
        modelName: food-review
        poolRef: {name: p}
        targetModels: [{name: food-review-1, weight: 90}, {name: food-review-2}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModel
      metadata: {name: review, namespace: default, creationTimestamp: "2025-01-01T00:00:00Z"}
      spec:
        modelName: food-review
        criticality: Critical
        poolRef: {name: p}
        targetModels: [{name: food-review-3}, {name: food-review-4}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModel
      metadata: {name: chat, namespace: default}
      spec:
        modelName: chat
        poolRef: {name: p}
        targetModels: [{name: chat-1, weight: 1}, {name: chat-2, weight: 3}]
      """;
  static final String MIXED_REWRITE =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModelRewrite
      metadata: {name: canary, namespace: default, creationTimestamp: "2024-01-01T00:00:00Z"}
      spec:
        poolRef: {name: p}
        rules:
        - matches: [{model: {value: small-lora}}]
          targets: [{modelRewrite: small-lora-v1, weight: 90}, {modelRewrite: small-lora-v2}]
        - targets: [{modelRewrite: everything-else}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModelRewrite
      metadata: {name: split, namespace: default, creationTimestamp: "2025-01-01T00:00:00Z"}
      spec:
        poolRef: {name: p}
        rules: [{matches: [{model: {value: big}}], targets: [{modelRewrite: big-v1}, {modelRewrite: big-v2}]}]
      """;

  @Test
  void inferenceModelWithMixedWeightsIsIgnoredAndDoesNotClaimItsName() {
    List<RejectedPolicy> rejected = new ArrayList<>();
    PoolPolicies policies =
        PolicyResolver.resolve(Manifests.read(MIXED_MODEL), rejected::add).get(POOL);

    assertThat(policies.models()).containsOnlyKeys("food-review", "chat");
    assertThat(policies.models().get("food-review").priority())
        .isEqualTo(PolicyResolver.CRITICAL_PRIORITY);
    assertThat(policies.models().get("food-review").targets())
        .containsExactly(
            new WeightedTarget("food-review-3", 1), new WeightedTarget("food-review-4", 1));
    assertThat(policies.models().get("chat").targets())
        .containsExactly(new WeightedTarget("chat-1", 1), new WeightedTarget("chat-2", 3));
    assertThat(rejected)
        .containsExactly(
            new RejectedPolicy(
                "InferenceModel",
                "default",
                "review-mixed",
                null,
                "food-review",
                "targetModels: " + TargetWeights.RULE));
  }

  @Test
  void rewriteWithMixedWeightsInAnyRuleIsIgnoredWhole() {
    List<RejectedPolicy> rejected = new ArrayList<>();
    PoolPolicies policies =
        PolicyResolver.resolve(Manifests.read(MIXED_REWRITE), rejected::add).get(POOL);

    // the catch-all beside the bad rule is dropped too: it would otherwise take small-lora's
    // traffic
    assertThat(policies.rewriteRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.exactModels()).containsExactly("big");
              assertThat(rule.targets())
                  .extracting(WeightedTarget::model)
                  .containsExactly("big-v1", "big-v2");
            });
    assertThat(rejected)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo("InferenceModelRewrite");
              assertThat(r.name()).isEqualTo("canary");
              assertThat(r.reason()).isEqualTo("rules[0].targets: " + TargetWeights.RULE);
            });
  }

  @Test
  void aRejectionIsOneWarningLineNamingTheResourceTheModelAndTheRule() {
    List<LogRecord> records;
    try (CapturedLog log = CapturedLog.of(RejectedPolicy.class)) {
      PolicyResolver.resolve(Manifests.read(MIXED_MODEL));
      records = log.records();
    }
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getLevel()).isEqualTo(Level.WARNING);
              assertThat(r.getThrown()).isNull();
              assertThat(r.getMessage())
                  .isEqualTo(
                      "event=policy_rejected kind=InferenceModel resource=default/review-mixed"
                          + " model=food-review reason=\"targetModels: "
                          + TargetWeights.RULE
                          + "\" action=ignored");
            });
  }
}
