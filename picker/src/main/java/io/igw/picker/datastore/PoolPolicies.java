package io.igw.picker.datastore;

import java.util.List;
import java.util.Map;

/**
 * The request policies of one pool: objective priorities by name, InferenceModels by model name,
 * and InferenceModelRewrite rules in precedence order (exact before catch-all, then oldest
 * resource, then rule order). Immutable.
 */
public record PoolPolicies(
    Map<String, Integer> objectivePriorities,
    Map<String, ModelPolicy> models,
    List<RewriteRule> rewriteRules) {

  public static final PoolPolicies NONE = new PoolPolicies(Map.of(), Map.of(), List.of());

  public PoolPolicies {
    objectivePriorities = Map.copyOf(objectivePriorities);
    models = Map.copyOf(models);
    rewriteRules = List.copyOf(rewriteRules);
  }

  /** A weighted target model. */
  public record WeightedTarget(String model, int weight) {}

  /**
   * An InferenceModel: its priority (from criticality) and its weighted targets (empty: no
   * rewrite).
   */
  public record ModelPolicy(String modelName, int priority, List<WeightedTarget> targets) {
    public ModelPolicy {
      targets = List.copyOf(targets);
    }
  }

  /** A rewrite rule: exact model names it matches (empty: catch-all) and weighted targets. */
  public record RewriteRule(List<String> exactModels, List<WeightedTarget> targets) {
    public RewriteRule {
      exactModels = List.copyOf(exactModels);
      targets = List.copyOf(targets);
    }

    public boolean isCatchAll() {
      return exactModels.isEmpty();
    }
  }
}
