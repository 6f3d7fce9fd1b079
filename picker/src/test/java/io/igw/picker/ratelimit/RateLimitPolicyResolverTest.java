package io.igw.picker.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.manifest.ManifestException;
import io.igw.api.manifest.ManifestReader;
import io.igw.picker.datastore.PoolName;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitPolicyResolverTest {
  private static final String POOLS =
      """
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: chat, namespace: team}
      spec: {selector: {matchLabels: {app: chat}}, targetPorts: [{number: 8000}]}
      ---
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: embed, namespace: team}
      spec: {selector: {matchLabels: {app: embed}}, targetPorts: [{number: 8000}]}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: llm, namespace: team}
      spec:
        rules:
        - backendRefs:
          - {group: inference.networking.k8s.io, kind: InferencePool, name: chat, weight: 90}
          - {group: inference.networking.k8s.io, kind: InferencePool, name: embed, weight: 10}
          - {kind: Service, name: not-a-pool}
      ---
      """;

  private static final String POLICY_HEAD =
      """
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: limits, namespace: team}
      """;

  private static RateLimits resolve(String yaml) {
    List<HasMetadata> resources = new ManifestReader().readString("test", POOLS + yaml);
    return RateLimitPolicyResolver.resolve(resources);
  }

  private static PolicyCondition condition(String spec) {
    RateLimits limits = resolve(POLICY_HEAD + spec);
    assertThat(limits.conditions()).hasSize(1);
    return limits.conditions().get(0);
  }

  @Test
  void aRouteTargetLimitsEveryPoolItsRulesName() {
    RateLimits limits =
        resolve(
            POLICY_HEAD
                + """
                spec:
                  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm}]
                  failureMode: Deny
                  rules:
                  - name: free-tier
                    match: {tenant: free-tier}
                    limits:
                    - {tokens: 2000, per: Minute}
                    - {requests: 10, per: Minute}
                  - match: {tenant: "*", model: llama}
                    limits: [{tokens: 100000, per: Day, count: Cost}]
                    cost: {input: 1, cachedInput: 0.1, output: 1.5}
                """);
    assertThat(limits.conditions()).extracting(PolicyCondition::reason).containsExactly("Accepted");
    List<LimitRule> chat = limits.rules(new PoolName("team", "chat"));
    assertThat(chat).hasSize(2);
    assertThat(limits.rules(new PoolName("team", "embed"))).isEqualTo(chat);
    LimitRule free = chat.get(0);
    assertThat(free.policy()).isEqualTo("team/limits");
    assertThat(free.name()).isEqualTo("free-tier");
    assertThat(free.tenant()).isEqualTo(Selector.exact("free-tier"));
    assertThat(free.objective()).isEqualTo(Selector.ANY);
    assertThat(free.denyWhenStoreDown()).isTrue();
    assertThat(free.limits())
        .containsExactly(
            new LimitRule.Limit(2000, Counted.TOTAL, Window.MINUTE),
            new LimitRule.Limit(10, Counted.REQUESTS, Window.MINUTE));
    LimitRule each = chat.get(1);
    assertThat(each.name()).isEqualTo("rule-1");
    assertThat(each.tenant()).isEqualTo(Selector.EACH_VALUE);
    assertThat(each.perValue()).isTrue();
    assertThat(each.cost()).isEqualTo(new CostWeights(1, 0.1, 1.5));
    assertThat(each.limits().get(0).counted()).isEqualTo(Counted.COST);
  }

  @Test
  void aPoolTargetLimitsThatPoolOnly() {
    RateLimits limits =
        resolve(
            POLICY_HEAD
                + """
                spec:
                  targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: embed}]
                  rules: [{limits: [{requests: 5, per: Hour}]}]
                """);
    assertThat(limits.rules(new PoolName("team", "embed"))).hasSize(1);
    assertThat(limits.rules(new PoolName("team", "chat"))).isEmpty();
    assertThat(limits.rules(new PoolName("team", "embed")).get(0).denyWhenStoreDown()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: nowhere}]",
        "targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: other}]",
      })
  void targetsThatResolveToNoPoolAreTargetNotFound(String targets) {
    PolicyCondition c =
        condition("spec:\n  " + targets + "\n  rules: [{limits: [{tokens: 1, per: Minute}]}]\n");
    assertThat(c.accepted()).isFalse();
    assertThat(c.reason()).isEqualTo(PolicyCondition.TARGET_NOT_FOUND);
  }

  /** Each case: the spec's rules (after one valid target), and what the message names. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "rules: []| spec.rules: between 1 and 32",
        "rules: [{limits: []}]| spec.rules[0].limits: between 1 and 8",
        "rules: [{limits: [{per: Minute}]}]| exactly one of tokens and requests",
        "rules: [{limits: [{tokens: 5, requests: 5, per: Minute}]}]| exactly one of tokens and requests",
        "rules: [{limits: [{tokens: 0, per: Minute}]}]| spec.rules[0].limits[0].tokens must be between 1",
        "rules: [{limits: [{tokens: -5, per: Minute}]}]| tokens must be between 1",
        "rules: [{limits: [{requests: 9000000000000000000, per: Minute}]}]| requests must be between 1",
        "rules: [{limits: [{tokens: 5, per: Week}]}]| per must be Minute, Hour or Day, got Week",
        "rules: [{limits: [{tokens: 5}]}]| per must be Minute, Hour or Day, got nothing",
        "rules: [{limits: [{tokens: 5, per: Minute, count: Reasoning}]}]| count must be Input, Output",
        "rules: [{limits: [{requests: 5, per: Minute, count: Total}]}]| count applies to tokens only",
        "rules: [{name: 'a b', limits: [{tokens: 5, per: Minute}]}]| spec.rules[0].name must be",
        "rules: [{name: x, limits: [{tokens: 5, per: Minute}]}, {name: x, limits: [{tokens: 5, per: Minute}]}]"
            + "| spec.rules[1].name x is used twice",
        "rules: [{match: {tenant: 'has space'}, limits: [{tokens: 5, per: Minute}]}]"
            + "| spec.rules[0].match.tenant must be \"*\" or a tenant id",
        "rules: [{match: {model: \"a\\u0000b\"}, limits: [{tokens: 5, per: Minute}]}]"
            + "| spec.rules[0].match.model must be \"*\" or 1-253 printable",
        "rules: [{match: {objective: ''}, limits: [{tokens: 5, per: Minute}]}]| match.objective must be",
        "rules: [{limits: [{tokens: 5, per: Minute, count: Cost}], cost: {output: -1}}]"
            + "| spec.rules[0].cost.output must be between 0 and 1000",
        "rules: [{limits: [{tokens: 5, per: Minute, count: Cost}], cost: {input: .nan}}]"
            + "| spec.rules[0].cost.input must be between 0 and 1000",
      })
  void aBadFieldRejectsThePolicyWholeNamingTheField(String rules, String expected) {
    PolicyCondition c =
        condition(
            "spec:\n  targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat}]\n  "
                + rules
                + "\n");
    assertThat(c.accepted()).isFalse();
    assertThat(c.reason()).isEqualTo(PolicyCondition.INVALID);
    assertThat(c.message()).contains(expected.strip());
    assertThat(c.message()).doesNotContain("\u0000").doesNotContain("\n");
  }

  @Test
  void badTargetsAndMissingSpecAreInvalid() {
    assertThat(
            condition("spec: {targetRefs: [], rules: [{limits: [{tokens: 1, per: Day}]}]}")
                .message())
        .contains("spec.targetRefs: between 1 and 16");
    assertThat(
            condition(
                    "spec: {targetRefs: [{group: apps, kind: Deployment, name: x}], rules: [{limits:"
                        + " [{tokens: 1, per: Day}]}]}")
                .message())
        .contains("spec.targetRefs[0] must be an HTTPRoute");
    assertThat(condition("spec: {targetRefs: [{kind: HTTPRoute}], rules: []}").reason())
        .isEqualTo(PolicyCondition.INVALID);
    assertThat(condition("").message()).isEqualTo("spec is required");
    assertThat(
            condition(
                    "spec: {failureMode: Maybe, targetRefs: [{kind: HTTPRoute, name: llm}], rules:"
                        + " [{limits: [{tokens: 1, per: Day}]}]}")
                .message())
        .isEqualTo("spec.failureMode must be Allow or Deny, got Maybe");
  }

  @Test
  void tooManyRulesAreRefusedWithoutResolvingThem() {
    StringBuilder rules =
        new StringBuilder(
            "spec:\n  targetRefs: [{group: inference.networking.k8s.io,"
                + " kind: InferencePool, name: chat}]\n  rules:\n");
    for (int i = 0; i < 33; i++) {
      rules.append("  - {limits: [{tokens: 5, per: Minute}]}\n");
    }
    assertThat(condition(rules.toString()).message()).contains("between 1 and 32 rules, got 33");
  }

  @Test
  void aHugeValueIsRejectedAndShortenedInTheMessage() {
    String huge = "x".repeat(100_000);
    PolicyCondition c =
        condition(
            "spec:\n  targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat}]\n"
                + "  rules: [{match: {model: "
                + huge
                + "}, limits: [{tokens: 5, per: Minute}]}]\n");
    assertThat(c.reason()).isEqualTo(PolicyCondition.INVALID);
    assertThat(c.message().length()).isLessThan(300);
  }

  @Test
  void wrongTypesFailTheManifestReadNamingTheDocument() {
    assertThatThrownBy(
            () ->
                resolve(
                    POLICY_HEAD
                        + "spec: {targetRefs: [{kind: HTTPRoute, name: llm}], rules: [{limits:"
                        + " [{tokens: lots, per: Minute}]}]}\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("TokenRateLimitPolicy limits");
  }

  @Test
  void oneBadPolicyLeavesTheOthersInForce() {
    RateLimits limits =
        resolve(
            POLICY_HEAD
                + "spec: {targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name:"
                + " chat}], rules: [{limits: [{tokens: 0, per: Minute}]}]}\n---\n"
                + POLICY_HEAD.replace("name: limits", "name: good")
                + "spec: {targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name:"
                + " chat}], rules: [{limits: [{tokens: 10, per: Minute}]}]}\n");
    assertThat(limits.conditions())
        .extracting(PolicyCondition::policy, PolicyCondition::accepted)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("team/limits", false),
            org.assertj.core.groups.Tuple.tuple("team/good", true));
    assertThat(limits.rules(new PoolName("team", "chat"))).hasSize(1);
  }

  /** The values the shared check accepts are the ones this module's enums know. */
  @Test
  void everyAcceptedPeriodAndCountHasItsEnum() {
    assertThat(io.igw.api.ratelimit.RateLimitPolicyCheck.PERIODS)
        .allSatisfy(per -> assertThat(Window.of(per)).isNotNull());
    assertThat(io.igw.api.ratelimit.RateLimitPolicyCheck.COUNTS)
        .allSatisfy(count -> assertThat(Counted.ofTokens(count)).isNotNull());
    assertThat(java.util.Arrays.stream(Window.values()).map(w -> w.field).toList())
        .containsExactlyElementsOf(io.igw.api.ratelimit.RateLimitPolicyCheck.PERIODS);
  }
}
