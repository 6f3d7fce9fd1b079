package io.igw.picker.core;

import io.igw.picker.datastore.PolicyResolver;
import io.igw.picker.datastore.PoolPolicies;
import io.igw.picker.datastore.PoolPolicies.ModelPolicy;
import io.igw.picker.datastore.PoolPolicies.RewriteRule;
import io.igw.picker.datastore.PoolPolicies.WeightedTarget;
import java.util.List;
import java.util.random.RandomGenerator;

/** A pool's objectives and model rewrites applied to one request. Pure but for the random draw. */
public final class RequestPolicy {
  public static final String OBJECTIVE_HEADER = "x-gateway-inference-objective";

  private RequestPolicy() {}

  /**
   * The objective the header names when it is one of the pool's, else null (never a client's free
   * text).
   */
  public static String objective(PoolPolicies policies, String objective) {
    return objective != null && policies.objectivePriorities().containsKey(objective)
        ? objective
        : null;
  }

  /**
   * The request's priority: the named objective's when the header names a known one, else the
   * InferenceModel's criticality, else standard (0).
   */
  public static int priority(PoolPolicies policies, String objective, String model) {
    if (objective != null) {
      Integer priority = policies.objectivePriorities().get(objective);
      if (priority != null) {
        return priority;
      }
    }
    ModelPolicy modelPolicy = model == null ? null : policies.models().get(model);
    return modelPolicy == null ? PolicyResolver.STANDARD_PRIORITY : modelPolicy.priority();
  }

  /**
   * The model to send upstream, drawn by weight from the first that applies: an
   * InferenceModelRewrite rule that names the model exactly, the InferenceModel of that name, a
   * catch-all rewrite rule. The model itself when nothing applies. (Rules come ordered exact-first,
   * so the first catch-all ends the exact ones.)
   */
  public static String targetModel(PoolPolicies policies, String model, RandomGenerator random) {
    if (model == null) {
      return null;
    }
    List<WeightedTarget> targets = targets(policies, model);
    return targets == null ? model : draw(targets, random);
  }

  /**
   * The weighted targets {@link #targetModel} draws {@code model}'s target from, or null when no
   * rewrite applies (the model goes upstream as it is).
   */
  public static List<WeightedTarget> targets(PoolPolicies policies, String model) {
    RewriteRule catchAll = null;
    for (RewriteRule rule : policies.rewriteRules()) {
      if (rule.isCatchAll()) {
        catchAll = rule;
        break;
      }
      if (rule.exactModels().contains(model)) {
        return rule.targets();
      }
    }
    ModelPolicy modelPolicy = policies.models().get(model);
    if (modelPolicy != null && !modelPolicy.targets().isEmpty()) {
      return modelPolicy.targets();
    }
    return catchAll == null ? null : catchAll.targets();
  }

  /** One target with probability weight / total; uniform when every weight is 0. */
  static String draw(List<WeightedTarget> targets, RandomGenerator random) {
    long total = 0;
    for (WeightedTarget t : targets) {
      total += t.weight();
    }
    if (total == 0) {
      return targets.get(random.nextInt(targets.size())).model();
    }
    long point = random.nextLong(total);
    for (WeightedTarget t : targets) {
      point -= t.weight();
      if (point < 0) {
        return t.model();
      }
    }
    return targets.get(targets.size() - 1).model();
  }
}
