package io.igw.picker.ratelimit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.api.TokenRateLimitPolicy.Limit;
import io.igw.api.TokenRateLimitPolicy.Match;
import io.igw.api.TokenRateLimitPolicy.Rule;
import io.igw.api.TokenRateLimitPolicy.TargetRef;
import io.igw.picker.datastore.PoolName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves TokenRateLimitPolicies to the pools they limit: a target InferencePool directly, a
 * target HTTPRoute through the InferencePool backendRefs of its rules (in the route's namespace
 * unless a backendRef names another). Pure. Every field is checked; a policy with one bad field is
 * rejected whole ({@code Invalid}, the message naming the field), one whose targets resolve to no
 * pool is {@code TargetNotFound}. Policies are taken oldest first, so the order of the rules of a
 * pool does not depend on the order the resources came in.
 */
public final class RateLimitPolicyResolver {
  public static final int MAX_TARGETS = 16;
  public static final int MAX_RULES = 32;
  public static final int MAX_LIMITS = 8;
  public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
  public static final int MAX_VALUE_LENGTH = 253;

  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final Set<String> POOL_GROUPS =
      Set.of("inference.networking.k8s.io", "inference.networking.x-k8s.io");
  private static final Pattern RULE_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

  /** What {@code TenantKey} yields: a plain id (or its hashed {@code id-} / {@code key-} forms). */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._:@/-]{1,64}");

  private RateLimitPolicyResolver() {}

  public static RateLimits resolve(Collection<? extends HasMetadata> resources) {
    Map<String, HTTPRoute> routes = new HashMap<>();
    Set<PoolName> pools = new java.util.HashSet<>();
    List<TokenRateLimitPolicy> policies = new ArrayList<>();
    for (HasMetadata r : resources) {
      if (r instanceof HTTPRoute route) {
        routes.put(namespace(route) + "/" + route.getMetadata().getName(), route);
      } else if (r instanceof TokenRateLimitPolicy policy) {
        policies.add(policy);
      } else if (r instanceof io.igw.api.InferencePool
          || r instanceof io.igw.api.v1alpha2.InferencePool) {
        pools.add(new PoolName(namespace(r), r.getMetadata().getName()));
      }
    }
    policies.sort(OLDEST_FIRST);
    Map<PoolName, List<LimitRule>> byPool = new HashMap<>();
    List<PolicyCondition> conditions = new ArrayList<>();
    for (TokenRateLimitPolicy policy : policies) {
      String id = namespace(policy) + "/" + policy.getMetadata().getName();
      List<LimitRule> rules;
      Set<PoolName> targets;
      try {
        rules = rules(id, policy.getSpec());
        targets = targets(policy, routes, pools);
      } catch (IllegalArgumentException invalid) {
        conditions.add(PolicyCondition.rejected(id, PolicyCondition.INVALID, invalid.getMessage()));
        continue;
      }
      if (targets.isEmpty()) {
        conditions.add(
            PolicyCondition.rejected(
                id, PolicyCondition.TARGET_NOT_FOUND, "no target resolves to an InferencePool"));
        continue;
      }
      for (PoolName pool : targets) {
        byPool.computeIfAbsent(pool, p -> new ArrayList<>()).addAll(rules);
      }
      conditions.add(
          PolicyCondition.accepted(
              id,
              rules.size()
                  + " rules on "
                  + targets.stream().map(PoolName::toString).sorted().toList()));
    }
    return new RateLimits(byPool, conditions);
  }

  private static List<LimitRule> rules(String policy, TokenRateLimitPolicy.Spec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec is required");
    }
    boolean deny = failureModeDeny(spec.failureMode());
    List<Rule> rules = spec.rules();
    if (rules.isEmpty() || rules.size() > MAX_RULES) {
      throw new IllegalArgumentException(
          "spec.rules: between 1 and " + MAX_RULES + " rules, got " + rules.size());
    }
    List<LimitRule> out = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String field = "spec.rules[" + i + "]";
      Rule rule = rules.get(i);
      if (rule == null) {
        throw new IllegalArgumentException(field + " must be a mapping");
      }
      String name = rule.name() == null ? "rule-" + i : rule.name();
      if (!RULE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            field
                + ".name must be 1-63 letters, digits, '.', '_' or '-', beginning and ending"
                + " with a letter or digit");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException(field + ".name " + name + " is used twice");
      }
      Match match = rule.match() == null ? new Match(null, null, null) : rule.match();
      out.add(
          new LimitRule(
              policy,
              name,
              selector(field + ".match.tenant", match.tenant(), TENANT),
              selector(field + ".match.objective", match.objective(), null),
              selector(field + ".match.model", match.model(), null),
              limits(field, rule.limits()),
              cost(field + ".cost", rule.cost()),
              deny));
    }
    return out;
  }

  private static boolean failureModeDeny(String failureMode) {
    if (failureMode == null || failureMode.equals("Allow")) {
      return false;
    }
    if (failureMode.equals("Deny")) {
      return true;
    }
    throw new IllegalArgumentException(
        "spec.failureMode must be Allow or Deny, got " + quoted(failureMode));
  }

  private static Selector selector(String field, String value, Pattern exact) {
    if (value == null) {
      return Selector.ANY;
    }
    if (value.equals(Selector.EACH)) {
      return Selector.EACH_VALUE;
    }
    boolean ok =
        exact != null
            ? exact.matcher(value).matches()
            : !value.isEmpty() && value.length() <= MAX_VALUE_LENGTH && printable(value);
    if (!ok) {
      throw new IllegalArgumentException(
          field
              + (exact != null
                  ? " must be \"*\" or a tenant id (1-64 of A-Z a-z 0-9 . _ : @ / -)"
                  : " must be \"*\" or 1-" + MAX_VALUE_LENGTH + " printable characters")
              + ", got "
              + quoted(value));
    }
    return Selector.exact(value);
  }

  private static List<LimitRule.Limit> limits(String rule, List<Limit> limits) {
    if (limits.isEmpty() || limits.size() > MAX_LIMITS) {
      throw new IllegalArgumentException(
          rule + ".limits: between 1 and " + MAX_LIMITS + " limits, got " + limits.size());
    }
    List<LimitRule.Limit> out = new ArrayList<>();
    for (int i = 0; i < limits.size(); i++) {
      String field = rule + ".limits[" + i + "]";
      Limit limit = limits.get(i);
      if (limit == null) {
        throw new IllegalArgumentException(field + " must be a mapping");
      }
      if ((limit.tokens() == null) == (limit.requests() == null)) {
        throw new IllegalArgumentException(field + " needs exactly one of tokens and requests");
      }
      long amount = limit.tokens() != null ? limit.tokens() : limit.requests();
      if (amount < 1 || amount > MAX_AMOUNT) {
        throw new IllegalArgumentException(
            field
                + "."
                + (limit.tokens() != null ? "tokens" : "requests")
                + " must be between 1 and "
                + MAX_AMOUNT
                + ", got "
                + amount);
      }
      Window window = Window.of(limit.per());
      if (window == null) {
        throw new IllegalArgumentException(
            field + ".per must be Minute, Hour or Day, got " + quoted(limit.per()));
      }
      Counted counted;
      if (limit.requests() != null) {
        if (limit.count() != null) {
          throw new IllegalArgumentException(field + ".count applies to tokens only");
        }
        counted = Counted.REQUESTS;
      } else {
        counted = limit.count() == null ? Counted.TOTAL : Counted.ofTokens(limit.count());
        if (counted == null) {
          throw new IllegalArgumentException(
              field + ".count must be Input, Output, Total or Cost, got " + quoted(limit.count()));
        }
      }
      out.add(new LimitRule.Limit(amount, counted, window));
    }
    return out;
  }

  private static CostWeights cost(String field, TokenRateLimitPolicy.Cost cost) {
    if (cost == null) {
      return CostWeights.UNIT;
    }
    return new CostWeights(
        weight(field + ".input", cost.input()),
        weight(field + ".cachedInput", cost.cachedInput()),
        weight(field + ".output", cost.output()));
  }

  private static double weight(String field, Double value) {
    if (value == null) {
      return 1;
    }
    if (!(value >= 0 && value <= CostWeights.MAX_WEIGHT)) {
      throw new IllegalArgumentException(
          field + " must be between 0 and " + (int) CostWeights.MAX_WEIGHT + ", got " + value);
    }
    return value;
  }

  private static Set<PoolName> targets(
      TokenRateLimitPolicy policy, Map<String, HTTPRoute> routes, Set<PoolName> pools) {
    List<TargetRef> refs = policy.getSpec().targetRefs();
    if (refs.isEmpty() || refs.size() > MAX_TARGETS) {
      throw new IllegalArgumentException(
          "spec.targetRefs: between 1 and " + MAX_TARGETS + " targets, got " + refs.size());
    }
    String ns = namespace(policy);
    Set<PoolName> out = new LinkedHashSet<>();
    for (int i = 0; i < refs.size(); i++) {
      TargetRef ref = refs.get(i);
      String field = "spec.targetRefs[" + i + "]";
      if (ref == null || ref.name() == null || ref.name().isEmpty()) {
        throw new IllegalArgumentException(field + ".name is required");
      }
      if (GATEWAY_GROUP.equals(ref.group()) && "HTTPRoute".equals(ref.kind())) {
        HTTPRoute route = routes.get(ns + "/" + ref.name());
        if (route != null) {
          out.addAll(poolsOf(route, pools));
        }
      } else if (POOL_GROUPS.contains(ref.group()) && "InferencePool".equals(ref.kind())) {
        PoolName pool = new PoolName(ns, ref.name());
        if (pools.contains(pool)) {
          out.add(pool);
        }
      } else {
        throw new IllegalArgumentException(
            field
                + " must be an HTTPRoute (gateway.networking.k8s.io) or an InferencePool"
                + " (inference.networking.k8s.io), got "
                + quoted(ref.group())
                + "/"
                + quoted(ref.kind()));
      }
    }
    return out;
  }

  private static List<PoolName> poolsOf(HTTPRoute route, Set<PoolName> pools) {
    List<PoolName> out = new ArrayList<>();
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return out;
    }
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      if (rule == null || rule.getBackendRefs() == null) {
        continue;
      }
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        if (ref != null
            && "InferencePool".equals(ref.getKind())
            && POOL_GROUPS.contains(ref.getGroup())
            && ref.getName() != null) {
          String ns = ref.getNamespace() == null ? namespace(route) : ref.getNamespace();
          PoolName pool = new PoolName(ns, ref.getName());
          if (pools.contains(pool)) {
            out.add(pool);
          }
        }
      }
    }
    return out;
  }

  private static boolean printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }

  private static String quoted(String value) {
    if (value == null) {
      return "nothing";
    }
    String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
    return io.igw.api.log.LogText.value(shown);
  }

  private static String namespace(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null ? PoolName.DEFAULT_NAMESPACE : ns;
  }

  private static final Comparator<TokenRateLimitPolicy> OLDEST_FIRST =
      Comparator.comparing(
              (TokenRateLimitPolicy p) ->
                  p.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> namespace(p) + "/" + p.getMetadata().getName());
}
