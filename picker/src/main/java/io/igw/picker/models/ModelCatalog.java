package io.igw.picker.models;

import io.igw.picker.core.RequestPolicy;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.ModelCard;
import io.igw.picker.datastore.Pool;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.PoolPolicies;
import io.igw.picker.datastore.PoolPolicies.WeightedTarget;
import io.igw.picker.datastore.ServedModels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The model list of a set of pools, from what the datastore holds (no I/O): every card an endpoint
 * of those pools listed, one per id (the first in pool-name, then endpoint-address order), base
 * models first, then adapters, each by id; then the client-facing names of the pools'
 * InferenceModels and InferenceModelRewrite rules that no server lists, with {@code parent} (and
 * {@code root}, {@code created}, {@code max_model_len}) from the one model they route to, where
 * every pool that names them routes them to the same single model.
 */
public final class ModelCatalog {
  /** {@code owned_by} of a name the gateway defines (an InferenceModel or a rewrite). */
  public static final String GATEWAY_OWNER = "igw";

  private static final Comparator<ModelCard> BASE_MODELS_FIRST =
      Comparator.comparing(ModelCard::isAdapter).thenComparing(ModelCard::id);

  private final Datastore datastore;

  public ModelCatalog(Datastore datastore) {
    this.datastore = datastore;
  }

  /** The list for {@code pools}; a pool the picker does not know adds nothing. */
  public ModelList list(Collection<PoolName> pools) {
    List<PoolName> ordered =
        pools.stream().distinct().sorted(Comparator.comparing(PoolName::toString)).toList();
    Map<String, ModelCard> served = served(ordered);
    List<ModelCard> cards = new ArrayList<>(served.values());
    cards.sort(BASE_MODELS_FIRST);
    aliasTargets(ordered, served.keySet())
        .forEach((name, targets) -> cards.add(alias(name, targets, served)));
    return new ModelList(cards);
  }

  private Map<String, ModelCard> served(List<PoolName> pools) {
    Map<String, ModelCard> served = new LinkedHashMap<>();
    for (PoolName name : pools) {
      Pool pool = datastore.pool(name);
      if (pool == null) {
        continue;
      }
      List<EndpointState> endpoints = new ArrayList<>(pool.endpoints());
      endpoints.sort(Comparator.comparing(EndpointState::address));
      for (EndpointState endpoint : endpoints) {
        ServedModels models = endpoint.models();
        if (models != null) {
          models.cards().forEach(card -> served.putIfAbsent(card.id(), card));
        }
      }
    }
    return served;
  }

  /**
   * Each name no server lists → the single model it routes to in each pool that names it (null
   * where a pool draws among several), by name.
   */
  private Map<String, Set<String>> aliasTargets(List<PoolName> pools, Set<String> servedIds) {
    Map<String, Set<String>> byName = new TreeMap<>();
    for (PoolName pool : pools) {
      PoolPolicies policies = datastore.policies(pool);
      Set<String> names = new TreeSet<>(policies.models().keySet());
      policies.rewriteRules().forEach(rule -> names.addAll(rule.exactModels()));
      for (String name : names) {
        if (!servedIds.contains(name)) {
          byName.computeIfAbsent(name, k -> new HashSet<>()).add(singleTarget(policies, name));
        }
      }
    }
    return byName;
  }

  /** The one model {@code name} goes upstream as in this pool, or null when it is drawn. */
  private static String singleTarget(PoolPolicies policies, String name) {
    List<WeightedTarget> targets = RequestPolicy.targets(policies, name);
    if (targets == null) {
      return name;
    }
    boolean anyWeight = targets.stream().anyMatch(t -> t.weight() > 0);
    Set<String> models = new HashSet<>();
    for (WeightedTarget t : targets) {
      if (t.weight() > 0 || !anyWeight) {
        models.add(t.model());
      }
    }
    return models.size() == 1 ? models.iterator().next() : null;
  }

  private static ModelCard alias(String name, Set<String> targets, Map<String, ModelCard> served) {
    String target = targets.size() == 1 ? targets.iterator().next() : null;
    if (target == null || target.equals(name)) {
      return new ModelCard(name, 0, GATEWAY_OWNER, name, null, null);
    }
    ModelCard routed = served.get(target);
    return routed == null
        ? new ModelCard(name, 0, GATEWAY_OWNER, target, target, null)
        : new ModelCard(
            name, routed.created(), GATEWAY_OWNER, routed.root(), target, routed.maxModelLen());
  }
}
