package io.igw.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.TokenRateLimitPolicy;
import io.igw.api.manifest.ManifestReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verdicts per target (what the controller writes as status ancestors) and the checked spec
 * with its defaults (what the picker enforces); every malformed field is covered by the picker's
 * RateLimitPolicyResolverTest, which goes through this check.
 */
class RateLimitPolicyCheckTest {
  private static final String RESOURCES =
      """
      apiVersion: inference.networking.k8s.io/v1
      kind: InferencePool
      metadata: {name: chat, namespace: team}
      spec: {selector: {matchLabels: {app: chat}}, targetPorts: [{number: 8000}]}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: llm, namespace: team}
      spec:
        rules:
        - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: services-only, namespace: team}
      spec:
        rules:
        - backendRefs: [{kind: Service, name: web}]
      ---
      apiVersion: gateway.igw.io/v1alpha1
      kind: TokenRateLimitPolicy
      metadata: {name: limits, namespace: team}
      """;

  private static PolicyAcceptance check(String spec) {
    List<PolicyAcceptance> out =
        RateLimitPolicyCheck.check(new ManifestReader().readString("test", RESOURCES + spec));
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void eachTargetHasItsOwnVerdictAndThePolicyIsAcceptedWhenOneResolves() {
    PolicyAcceptance p =
        check(
            """
            spec:
              targetRefs:
              - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm}
              - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: nowhere}
              - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: services-only}
              - {group: inference.networking.k8s.io, kind: InferencePool, name: gone}
              - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm}
              rules: [{limits: [{tokens: 10, per: Minute}]}]
            """);
    assertThat(p.accepted()).isTrue();
    assertThat(p.id()).isEqualTo("team/limits");
    assertThat(p.message()).isEqualTo("1 rules on [team/chat]");
    assertThat(p.pools()).containsExactly(new PoolKey("team", "chat"));
    assertThat(p.targets())
        .extracting(t -> t.kind() + " " + t.namespace() + "/" + t.name(), TargetAcceptance::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("HTTPRoute team/llm", "Accepted"),
            org.assertj.core.groups.Tuple.tuple("HTTPRoute team/nowhere", "TargetNotFound"),
            org.assertj.core.groups.Tuple.tuple("HTTPRoute team/services-only", "TargetNotFound"),
            org.assertj.core.groups.Tuple.tuple("InferencePool team/gone", "TargetNotFound"));
    assertThat(p.targets())
        .extracting(TargetAcceptance::message)
        .containsExactly(
            "1 rules on [team/chat]",
            "HTTPRoute team/nowhere not found",
            "HTTPRoute team/services-only has no InferencePool backend that exists",
            "InferencePool team/gone not found");
  }

  @Test
  void noTargetThatResolvesIsTargetNotFound() {
    PolicyAcceptance p =
        check(
            """
            spec:
              targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: nowhere}]
              rules: [{limits: [{tokens: 10, per: Minute}]}]
            """);
    assertThat(p.reason()).isEqualTo(PolicyAcceptance.TARGET_NOT_FOUND);
    assertThat(p.message()).isEqualTo("no target resolves to an InferencePool");
    assertThat(p.pools()).isEmpty();
  }

  @Test
  void anInvalidPolicyIsInvalidOnEveryTargetAsWritten() {
    PolicyAcceptance p =
        check(
            """
            spec:
              targetRefs:
              - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm}
              - {group: apps, kind: Deployment, name: web}
              rules: [{limits: [{tokens: 10, per: Minute}]}]
            """);
    assertThat(p.reason()).isEqualTo(PolicyAcceptance.INVALID);
    assertThat(p.checked()).isNull();
    assertThat(p.message()).startsWith("spec.targetRefs[1] must be an HTTPRoute");
    assertThat(p.targets())
        .extracting(
            t -> t.group() + "/" + t.kind(), TargetAcceptance::reason, TargetAcceptance::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "gateway.networking.k8s.io/HTTPRoute", "Invalid", p.message()),
            org.assertj.core.groups.Tuple.tuple("apps/Deployment", "Invalid", p.message()));
    assertThat(p.pools()).isEmpty();
  }

  @Test
  void theCheckedSpecHasEveryDefault() {
    TokenRateLimitPolicy.Spec spec =
        check(
                """
                spec:
                  targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: chat}]
                  rules:
                  - limits: [{tokens: 10, per: Minute}, {requests: 2, per: Day}]
                  - {name: cost, match: {tenant: "*"}, limits: [{tokens: 5, per: Hour, count: Cost}], cost: {output: 2}}
                """)
            .checked();
    assertThat(spec.failureMode()).isEqualTo("Allow");
    TokenRateLimitPolicy.Rule first = spec.rules().get(0);
    assertThat(first.name()).isEqualTo("rule-0");
    assertThat(first.match()).isEqualTo(new TokenRateLimitPolicy.Match(null, null, null));
    assertThat(first.limits())
        .containsExactly(
            new TokenRateLimitPolicy.Limit(10L, null, "Minute", "Total"),
            new TokenRateLimitPolicy.Limit(null, 2L, "Day", null));
    assertThat(first.cost()).isEqualTo(new TokenRateLimitPolicy.Cost(1.0, 1.0, 1.0));
    assertThat(spec.rules().get(1).cost()).isEqualTo(new TokenRateLimitPolicy.Cost(1.0, 1.0, 2.0));
    assertThat(spec.rules().get(1).match().tenant()).isEqualTo("*");
  }

  @Test
  void policiesComeOldestFirst() {
    List<PolicyAcceptance> out =
        RateLimitPolicyCheck.check(
            new ManifestReader()
                .readString(
                    "test",
                    """
                    apiVersion: gateway.igw.io/v1alpha1
                    kind: TokenRateLimitPolicy
                    metadata: {name: young, namespace: a, creationTimestamp: "2024-02-01T00:00:00Z"}
                    spec: {targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: x}], rules: [{limits: [{tokens: 1, per: Day}]}]}
                    ---
                    apiVersion: gateway.igw.io/v1alpha1
                    kind: TokenRateLimitPolicy
                    metadata: {name: old, namespace: z, creationTimestamp: "2024-01-01T00:00:00Z"}
                    spec: {targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: x}], rules: [{limits: [{tokens: 1, per: Day}]}]}
                    """));
    assertThat(out).extracting(PolicyAcceptance::id).containsExactly("z/old", "a/young");
  }

  @Test
  void aStatusIsReadAsGatewayApisPolicyStatus() {
    TokenRateLimitPolicy policy =
        (TokenRateLimitPolicy)
            new ManifestReader()
                .readString(
                    "test",
                    RESOURCES.substring(RESOURCES.lastIndexOf("apiVersion: gateway.igw.io"))
                        + """
                        spec: {targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm}], rules: [{limits: [{tokens: 1, per: Day}]}]}
                        status:
                          ancestors:
                          - ancestorRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: team, name: llm}
                            controllerName: igw.io/gateway-controller
                            conditions: [{type: Accepted, status: "True", reason: Accepted, message: ok, observedGeneration: 3, lastTransitionTime: "2024-01-01T00:00:00Z"}]
                        """)
                .get(0);
    var ancestor = policy.getStatus().getAncestors().get(0);
    assertThat(ancestor.getAncestorRef().getName()).isEqualTo("llm");
    assertThat(ancestor.getConditions().get(0).getObservedGeneration()).isEqualTo(3L);
  }
}
