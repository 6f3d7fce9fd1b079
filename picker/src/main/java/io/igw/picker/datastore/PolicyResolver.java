package io.igw.picker.datastore;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.InferenceModel;
import io.igw.api.InferenceModelRewrite;
import io.igw.api.InferenceObjective;
import io.igw.api.PoolRef;
import io.igw.api.TargetWeights;
import io.igw.picker.datastore.PoolPolicies.ModelPolicy;
import io.igw.picker.datastore.PoolPolicies.RewriteRule;
import io.igw.picker.datastore.PoolPolicies.WeightedTarget;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Resolves InferenceObjectives, InferenceModels and InferenceModelRewrites to the pools they
 * reference (same namespace, {@code poolRef.name}). Pure but for the rejections it reports. On a
 * model-name clash the oldest InferenceModel wins; rewrite rules are ordered exact before
 * catch-all, then oldest resource, then rule order.
 *
 * <p>A resource whose targets break {@link TargetWeights#RULE} is rejected whole, as the API
 * server's validation would have refused it: an InferenceModel does not claim its model name (the
 * next oldest valid one does), and no rule of an InferenceModelRewrite applies, since dropping one
 * rule could hand its models to a catch-all beside it.
 */
public final class PolicyResolver {
  public static final int CRITICAL_PRIORITY = 1;
  public static final int STANDARD_PRIORITY = 0;
  public static final int SHEDDABLE_PRIORITY = -1;

  private PolicyResolver() {}

  /** Resolves, logging each rejected resource. */
  public static Map<PoolName, PoolPolicies> resolve(Collection<? extends HasMetadata> resources) {
    return resolve(resources, RejectedPolicy::log);
  }

  public static Map<PoolName, PoolPolicies> resolve(
      Collection<? extends HasMetadata> resources, Consumer<RejectedPolicy> rejected) {
    Map<PoolName, Map<String, Integer>> objectives = new HashMap<>();
    Map<PoolName, Map<String, ModelPolicy>> models = new HashMap<>();
    Map<PoolName, List<Ranked>> rules = new HashMap<>();
    List<HasMetadata> oldestFirst =
        resources.stream().sorted(OLDEST_FIRST).map(r -> (HasMetadata) r).toList();
    for (HasMetadata r : oldestFirst) {
      if (r instanceof InferenceObjective o && o.getSpec() != null) {
        PoolName pool = poolOf(o, o.getSpec().poolRef());
        int priority = o.getSpec().priority() == null ? STANDARD_PRIORITY : o.getSpec().priority();
        objectives
            .computeIfAbsent(pool, p -> new HashMap<>())
            .put(o.getMetadata().getName(), priority);
      } else if (r instanceof InferenceModel m
          && m.getSpec() != null
          && m.getSpec().modelName() != null) {
        if (m.getSpec().hasMixedWeights()) {
          rejected.accept(
              rejection(m, m.getSpec().modelName(), "targetModels: " + TargetWeights.RULE));
          continue;
        }
        PoolName pool = poolOf(m, m.getSpec().poolRef());
        models
            .computeIfAbsent(pool, p -> new HashMap<>())
            .putIfAbsent(m.getSpec().modelName(), modelPolicy(m));
      } else if (r instanceof InferenceModelRewrite rw && rw.getSpec() != null) {
        int mixed = firstRuleWithMixedWeights(rw);
        if (mixed >= 0) {
          rejected.accept(
              rejection(rw, null, "rules[" + mixed + "].targets: " + TargetWeights.RULE));
          continue;
        }
        PoolName pool = poolOf(rw, rw.getSpec().poolRef());
        List<Ranked> ranked = rules.computeIfAbsent(pool, p -> new ArrayList<>());
        for (InferenceModelRewrite.Rule rule : rw.getSpec().rules()) {
          RewriteRule resolved = rewriteRule(rule);
          if (!resolved.targets().isEmpty()) {
            ranked.add(new Ranked(resolved, ranked.size()));
          }
        }
      }
    }
    Map<PoolName, PoolPolicies> out = new HashMap<>();
    java.util.Set<PoolName> pools = new java.util.HashSet<>(objectives.keySet());
    pools.addAll(models.keySet());
    pools.addAll(rules.keySet());
    for (PoolName pool : pools) {
      List<RewriteRule> ordered =
          rules.getOrDefault(pool, List.of()).stream()
              .sorted(
                  Comparator.comparing((Ranked x) -> x.rule().isCatchAll())
                      .thenComparingInt(Ranked::order))
              .map(Ranked::rule)
              .toList();
      out.put(
          pool,
          new PoolPolicies(
              objectives.getOrDefault(pool, Map.of()),
              models.getOrDefault(pool, Map.of()),
              ordered));
    }
    return out;
  }

  private record Ranked(RewriteRule rule, int order) {}

  private static final Comparator<HasMetadata> OLDEST_FIRST =
      Comparator.comparing(
              (HasMetadata r) ->
                  r.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : r.getMetadata().getCreationTimestamp())
          .thenComparing(r -> r.getMetadata().getName());

  private static int firstRuleWithMixedWeights(InferenceModelRewrite rewrite) {
    List<InferenceModelRewrite.Rule> rules = rewrite.getSpec().rules();
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).hasMixedWeights()) {
        return i;
      }
    }
    return -1;
  }

  private static RejectedPolicy rejection(HasMetadata r, String model, String reason) {
    String ns =
        r.getMetadata().getNamespace() == null
            ? PoolName.DEFAULT_NAMESPACE
            : r.getMetadata().getNamespace();
    return new RejectedPolicy(
        r.getKind(),
        ns,
        r.getMetadata().getName(),
        r.getMetadata().getResourceVersion(),
        model,
        reason);
  }

  private static ModelPolicy modelPolicy(InferenceModel m) {
    String criticality = m.getSpec().criticality();
    int priority =
        "Critical".equals(criticality)
            ? CRITICAL_PRIORITY
            : "Sheddable".equals(criticality) ? SHEDDABLE_PRIORITY : STANDARD_PRIORITY;
    List<WeightedTarget> targets = new ArrayList<>();
    for (InferenceModel.TargetModel t : m.getSpec().targetModels()) {
      if (t != null && t.name() != null && !t.name().isBlank()) {
        targets.add(new WeightedTarget(t.name(), t.weight() == null ? 1 : Math.max(0, t.weight())));
      }
    }
    return new ModelPolicy(m.getSpec().modelName(), priority, targets);
  }

  private static RewriteRule rewriteRule(InferenceModelRewrite.Rule rule) {
    List<String> exact = new ArrayList<>();
    for (InferenceModelRewrite.Match match : rule.matches()) {
      if (match != null
          && match.model() != null
          && match.model().value() != null
          && (match.model().type() == null || "Exact".equals(match.model().type()))) {
        exact.add(match.model().value());
      }
    }
    List<WeightedTarget> targets = new ArrayList<>();
    for (InferenceModelRewrite.Target t : rule.targets()) {
      if (t != null && t.modelRewrite() != null && !t.modelRewrite().isBlank()) {
        targets.add(
            new WeightedTarget(t.modelRewrite(), t.weight() == null ? 1 : Math.max(0, t.weight())));
      }
    }
    return new RewriteRule(exact, targets);
  }

  private static PoolName poolOf(HasMetadata r, PoolRef ref) {
    String ns =
        r.getMetadata().getNamespace() == null
            ? PoolName.DEFAULT_NAMESPACE
            : r.getMetadata().getNamespace();
    return new PoolName(ns, ref == null || ref.name() == null ? "" : ref.name());
  }
}
