package io.igw.api.ratelimit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.api.TokenRateLimitPolicy.Cost;
import io.igw.api.TokenRateLimitPolicy.Limit;
import io.igw.api.TokenRateLimitPolicy.Match;
import io.igw.api.TokenRateLimitPolicy.Rule;
import io.igw.api.TokenRateLimitPolicy.TargetRef;
import io.igw.api.log.LogText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks TokenRateLimitPolicies and resolves their targets: a target InferencePool directly, a
 * target HTTPRoute through the InferencePool backendRefs of its rules (in the route's namespace
 * unless a backendRef names another). Every field is checked; a policy with one bad field is {@code
 * Invalid} whole (the message names the field), one whose targets resolve to no pool is {@code
 * TargetNotFound}. Policies come out oldest first, so what depends on their order does not depend
 * on the order the resources came in. The picker enforces the accepted ones, the controller writes
 * the verdicts to their status.
 */
public final class RateLimitPolicyCheck {
  public static final int MAX_TARGETS = 16;
  public static final int MAX_RULES = 32;
  public static final int MAX_LIMITS = 8;
  public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
  public static final int MAX_VALUE_LENGTH = 253;
  public static final double MAX_WEIGHT = 1000;

  /** A match value meaning any value, one bucket per distinct value. */
  public static final String EACH = "*";

  /** {@code per} values, as a policy writes them. */
  public static final List<String> PERIODS = List.of("Minute", "Hour", "Day");

  /** {@code count} values of a tokens limit, as a policy writes them. */
  public static final List<String> COUNTS = List.of("Input", "Output", "Total", "Cost");

  public static final String ALLOW = "Allow";
  public static final String DENY = "Deny";
  public static final String DEFAULT_NAMESPACE = "default";

  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final Set<String> POOL_GROUPS =
      Set.of("inference.networking.k8s.io", "inference.networking.x-k8s.io");
  private static final Pattern RULE_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

  /**
   * What the picker's {@code TenantKey} yields: a plain id (or its hashed {@code id-} / {@code
   * key-} forms).
   */
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._:@/-]{1,64}");

  private RateLimitPolicyCheck() {}

  /** The verdict on every TokenRateLimitPolicy among {@code resources}, oldest first. */
  public static List<PolicyAcceptance> check(Collection<? extends HasMetadata> resources) {
    Map<String, HTTPRoute> routes = new HashMap<>();
    Set<PoolKey> pools = new HashSet<>();
    List<TokenRateLimitPolicy> policies = new ArrayList<>();
    for (HasMetadata r : resources) {
      if (r instanceof HTTPRoute route) {
        routes.put(namespace(route) + "/" + route.getMetadata().getName(), route);
      } else if (r instanceof TokenRateLimitPolicy policy) {
        policies.add(policy);
      } else if (r instanceof io.igw.api.InferencePool
          || r instanceof io.igw.api.v1alpha2.InferencePool) {
        pools.add(new PoolKey(namespace(r), r.getMetadata().getName()));
      }
    }
    policies.sort(OLDEST_FIRST);
    List<PolicyAcceptance> out = new ArrayList<>();
    for (TokenRateLimitPolicy policy : policies) {
      out.add(check(policy, routes, pools));
    }
    return out;
  }

  private static PolicyAcceptance check(
      TokenRateLimitPolicy policy, Map<String, HTTPRoute> routes, Set<PoolKey> pools) {
    TokenRateLimitPolicy.Spec checked;
    try {
      checked = checkedSpec(policy.getSpec());
    } catch (IllegalArgumentException invalid) {
      String message = invalid.getMessage();
      List<TargetAcceptance> targets = new ArrayList<>();
      for (TargetRef ref : distinctTargets(policy)) {
        targets.add(target(policy, ref, PolicyAcceptance.INVALID, message, List.of()));
      }
      return new PolicyAcceptance(policy, PolicyAcceptance.INVALID, message, null, targets);
    }
    int rules = checked.rules().size();
    List<TargetAcceptance> targets = new ArrayList<>();
    for (TargetRef ref : distinctTargets(policy)) {
      targets.add(resolve(policy, ref, rules, routes, pools));
    }
    Set<PoolKey> limited = new LinkedHashSet<>();
    targets.forEach(t -> limited.addAll(t.pools()));
    return limited.isEmpty()
        ? new PolicyAcceptance(
            policy,
            PolicyAcceptance.TARGET_NOT_FOUND,
            "no target resolves to an InferencePool",
            checked,
            targets)
        : new PolicyAcceptance(
            policy, PolicyAcceptance.ACCEPTED, rulesOn(rules, limited), checked, targets);
  }

  private static TargetAcceptance resolve(
      TokenRateLimitPolicy policy,
      TargetRef ref,
      int rules,
      Map<String, HTTPRoute> routes,
      Set<PoolKey> pools) {
    String key = namespace(policy) + "/" + ref.name();
    List<PoolKey> found;
    String missing;
    if ("HTTPRoute".equals(ref.kind())) {
      HTTPRoute route = routes.get(key);
      found = route == null ? List.of() : poolsOf(route, pools);
      missing =
          route == null
              ? "HTTPRoute " + key + " not found"
              : "HTTPRoute " + key + " has no InferencePool backend that exists";
    } else {
      PoolKey pool = new PoolKey(namespace(policy), ref.name());
      found = pools.contains(pool) ? List.of(pool) : List.of();
      missing = "InferencePool " + key + " not found";
    }
    return found.isEmpty()
        ? target(policy, ref, PolicyAcceptance.TARGET_NOT_FOUND, missing, found)
        : target(policy, ref, PolicyAcceptance.ACCEPTED, rulesOn(rules, found), found);
  }

  private static TargetAcceptance target(
      TokenRateLimitPolicy policy,
      TargetRef ref,
      String reason,
      String message,
      List<PoolKey> pools) {
    return new TargetAcceptance(
        ref.group(), ref.kind(), namespace(policy), ref.name(), reason, message, pools);
  }

  private static String rulesOn(int rules, Collection<PoolKey> pools) {
    return rules + " rules on " + pools.stream().map(PoolKey::toString).sorted().toList();
  }

  /** The policy's target references, each once, at most {@link #MAX_TARGETS}. */
  private static List<TargetRef> distinctTargets(TokenRateLimitPolicy policy) {
    if (policy.getSpec() == null) {
      return List.of();
    }
    return policy.getSpec().targetRefs().stream()
        .filter(Objects::nonNull)
        .distinct()
        .limit(MAX_TARGETS)
        .toList();
  }

  /**
   * The spec with its defaults filled in; an {@link IllegalArgumentException} names a bad field.
   */
  private static TokenRateLimitPolicy.Spec checkedSpec(TokenRateLimitPolicy.Spec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("spec is required");
    }
    String failureMode = failureMode(spec.failureMode());
    List<Rule> rules = rules(spec.rules());
    targetRefs(spec.targetRefs());
    return new TokenRateLimitPolicy.Spec(spec.targetRefs(), failureMode, rules);
  }

  private static String failureMode(String failureMode) {
    if (failureMode == null || failureMode.equals(ALLOW)) {
      return ALLOW;
    }
    if (failureMode.equals(DENY)) {
      return DENY;
    }
    throw new IllegalArgumentException(
        "spec.failureMode must be Allow or Deny, got " + quoted(failureMode));
  }

  private static List<Rule> rules(List<Rule> rules) {
    if (rules.isEmpty() || rules.size() > MAX_RULES) {
      throw new IllegalArgumentException(
          "spec.rules: between 1 and " + MAX_RULES + " rules, got " + rules.size());
    }
    List<Rule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
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
      selector(field + ".match.tenant", match.tenant(), TENANT);
      selector(field + ".match.objective", match.objective(), null);
      selector(field + ".match.model", match.model(), null);
      out.add(
          new Rule(name, match, limits(field, rule.limits()), cost(field + ".cost", rule.cost())));
    }
    return out;
  }

  private static void selector(String field, String value, Pattern exact) {
    if (value == null || value.equals(EACH)) {
      return;
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
  }

  private static List<Limit> limits(String rule, List<Limit> limits) {
    if (limits.isEmpty() || limits.size() > MAX_LIMITS) {
      throw new IllegalArgumentException(
          rule + ".limits: between 1 and " + MAX_LIMITS + " limits, got " + limits.size());
    }
    List<Limit> out = new ArrayList<>();
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
      if (limit.per() == null || !PERIODS.contains(limit.per())) {
        throw new IllegalArgumentException(
            field + ".per must be Minute, Hour or Day, got " + quoted(limit.per()));
      }
      String count = limit.count();
      if (limit.requests() != null) {
        if (count != null) {
          throw new IllegalArgumentException(field + ".count applies to tokens only");
        }
      } else if (count == null) {
        count = "Total";
      } else if (!COUNTS.contains(count)) {
        throw new IllegalArgumentException(
            field + ".count must be Input, Output, Total or Cost, got " + quoted(count));
      }
      out.add(new Limit(limit.tokens(), limit.requests(), limit.per(), count));
    }
    return out;
  }

  private static Cost cost(String field, Cost cost) {
    if (cost == null) {
      return new Cost(1.0, 1.0, 1.0);
    }
    return new Cost(
        weight(field + ".input", cost.input()),
        weight(field + ".cachedInput", cost.cachedInput()),
        weight(field + ".output", cost.output()));
  }

  private static double weight(String field, Double value) {
    if (value == null) {
      return 1;
    }
    if (!(value >= 0 && value <= MAX_WEIGHT)) {
      throw new IllegalArgumentException(
          field + " must be between 0 and " + (int) MAX_WEIGHT + ", got " + value);
    }
    return value;
  }

  private static void targetRefs(List<TargetRef> refs) {
    if (refs.isEmpty() || refs.size() > MAX_TARGETS) {
      throw new IllegalArgumentException(
          "spec.targetRefs: between 1 and " + MAX_TARGETS + " targets, got " + refs.size());
    }
    for (int i = 0; i < refs.size(); i++) {
      TargetRef ref = refs.get(i);
      String field = "spec.targetRefs[" + i + "]";
      if (ref == null || ref.name() == null || ref.name().isEmpty()) {
        throw new IllegalArgumentException(field + ".name is required");
      }
      boolean route = GATEWAY_GROUP.equals(ref.group()) && "HTTPRoute".equals(ref.kind());
      boolean pool = POOL_GROUPS.contains(ref.group()) && "InferencePool".equals(ref.kind());
      if (!route && !pool) {
        throw new IllegalArgumentException(
            field
                + " must be an HTTPRoute (gateway.networking.k8s.io) or an InferencePool"
                + " (inference.networking.k8s.io), got "
                + quoted(ref.group())
                + "/"
                + quoted(ref.kind()));
      }
    }
  }

  private static List<PoolKey> poolsOf(HTTPRoute route, Set<PoolKey> pools) {
    Set<PoolKey> out = new LinkedHashSet<>();
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return List.of();
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
          PoolKey pool = new PoolKey(ns, ref.getName());
          if (pools.contains(pool)) {
            out.add(pool);
          }
        }
      }
    }
    return List.copyOf(out);
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
    return LogText.value(shown);
  }

  static String namespace(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null ? DEFAULT_NAMESPACE : ns;
  }

  private static final Comparator<TokenRateLimitPolicy> OLDEST_FIRST =
      Comparator.comparing(
              (TokenRateLimitPolicy p) ->
                  p.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : p.getMetadata().getCreationTimestamp())
          .thenComparing(p -> namespace(p) + "/" + p.getMetadata().getName());
}
