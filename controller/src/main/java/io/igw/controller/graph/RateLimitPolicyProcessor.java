package io.igw.controller.graph;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.ratelimit.PolicyAcceptance;
import io.igw.api.ratelimit.RateLimitPolicyCheck;
import io.igw.api.ratelimit.TargetAcceptance;
import io.igw.controller.graph.Graph.AncestorNode;
import io.igw.controller.graph.Graph.PolicyNode;
import io.igw.controller.source.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict on every TokenRateLimitPolicy, per target, from {@link RateLimitPolicyCheck}: the
 * rules the picker enforces them by, so status says what the picker does.
 */
final class RateLimitPolicyProcessor {
  Map<String, PolicyNode> process(ClusterSnapshot snapshot) {
    Map<String, PolicyNode> out = new TreeMap<>();
    if (snapshot.rateLimitPolicies().isEmpty()) {
      return out;
    }
    List<HasMetadata> resources = new ArrayList<>(snapshot.routes().values());
    resources.addAll(snapshot.pools().values());
    resources.addAll(snapshot.rateLimitPolicies().values());
    for (PolicyAcceptance policy : RateLimitPolicyCheck.check(resources)) {
      Long gen = policy.policy().getMetadata().getGeneration();
      List<AncestorNode> ancestors = new ArrayList<>();
      for (TargetAcceptance t : policy.targets()) {
        ancestors.add(
            new AncestorNode(t.group(), t.kind(), t.namespace(), t.name(), condition(t, gen)));
      }
      out.put(policy.id(), new PolicyNode(policy.policy(), ancestors));
    }
    return out;
  }

  private static Condition condition(TargetAcceptance target, Long gen) {
    return switch (target.reason()) {
      case PolicyAcceptance.ACCEPTED -> Conditions.policyAccepted(gen, target.message());
      case PolicyAcceptance.TARGET_NOT_FOUND ->
          Conditions.policyTargetNotFound(gen, target.message());
      default -> Conditions.policyInvalid(gen, target.message());
    };
  }
}
