package io.igw.controller.graph;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.igw.controller.graph.Graph.BackendNode;
import io.igw.controller.graph.Graph.ClassNode;
import io.igw.controller.graph.Graph.GatewayNode;
import io.igw.controller.graph.Graph.ListenerNode;
import io.igw.controller.graph.Graph.ParentNode;
import io.igw.controller.graph.Graph.PoolNode;
import io.igw.controller.graph.Graph.RouteNode;
import io.igw.controller.graph.Graph.RuleNode;
import io.igw.controller.source.ClusterSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Links a snapshot into a {@link Graph}: classes → gateways → listeners ← routes → pools. No I/O.
 */
public final class GraphBuilder {
  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  public static final String POOL_GROUP = "inference.networking.k8s.io";

  private final String controllerName;
  private final ValueValidator validator;
  private final ListenerProcessor listeners;
  private final RouteRuleProcessor rules;
  private final PoolProcessor pools;
  private final RateLimitPolicyProcessor policies = new RateLimitPolicyProcessor();

  public GraphBuilder(
      String controllerName, ValueValidator validator, String inProcessPickerService) {
    this.controllerName = controllerName;
    this.validator = validator;
    this.listeners = new ListenerProcessor(validator);
    this.rules = new RouteRuleProcessor(validator);
    this.pools = new PoolProcessor(validator, inProcessPickerService);
  }

  public Graph build(ClusterSnapshot snapshot) {
    Map<String, ClassNode> classes = buildClasses(snapshot);
    Map<String, GatewayNode> gateways = buildGateways(snapshot, classes);
    Map<String, RouteNode> routes = new TreeMap<>();
    for (HTTPRoute route : routesByAge(snapshot)) {
      RouteNode node = buildRoute(snapshot, route, gateways);
      if (node != null) {
        routes.put(node.key(), node);
      }
    }
    Map<String, PoolNode> poolNodes = buildPools(snapshot, routes);
    return new Graph(
        classes, countAttachments(gateways, routes), routes, poolNodes, policies.process(snapshot));
  }

  private Map<String, ClassNode> buildClasses(ClusterSnapshot snapshot) {
    Map<String, ClassNode> classes = new TreeMap<>();
    for (GatewayClass c : snapshot.gatewayClasses().values()) {
      if (c.getSpec() != null && controllerName.equals(c.getSpec().getControllerName())) {
        classes.put(
            c.getMetadata().getName(),
            new ClassNode(c, List.of(Conditions.classAccepted(c.getMetadata().getGeneration()))));
      }
    }
    return classes;
  }

  private Map<String, GatewayNode> buildGateways(
      ClusterSnapshot snapshot, Map<String, ClassNode> classes) {
    Map<String, GatewayNode> gateways = new TreeMap<>();
    for (Gateway gateway : snapshot.gateways().values()) {
      if (gateway.getSpec() == null
          || !classes.containsKey(gateway.getSpec().getGatewayClassName())) {
        continue;
      }
      Long gen = gateway.getMetadata().getGeneration();
      List<ListenerNode> nodes = listeners.process(snapshot, gateway);
      boolean anyValid = nodes.stream().anyMatch(ListenerNode::valid);
      List<Condition> conditions =
          List.of(
              Conditions.gatewayAccepted(gen),
              anyValid
                  ? Conditions.gatewayProgrammed(gen)
                  : Conditions.gatewayNotProgrammed(gen, "no listener is valid"));
      GatewayNode node = new GatewayNode(gateway, true, conditions, nodes);
      gateways.put(node.key(), node);
    }
    return gateways;
  }

  private static List<HTTPRoute> routesByAge(ClusterSnapshot snapshot) {
    return snapshot.routes().values().stream()
        .sorted(
            java.util.Comparator.comparing(
                    (HTTPRoute r) -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(ClusterSnapshot::key))
        .toList();
  }

  /** A route that names none of our gateways is not ours: null. */
  private RouteNode buildRoute(
      ClusterSnapshot snapshot, HTTPRoute route, Map<String, GatewayNode> gateways) {
    String ns = route.getMetadata().getNamespace();
    Long gen = route.getMetadata().getGeneration();
    List<RuleNode> ruleNodes = new ArrayList<>();
    List<String> ruleProblems = new ArrayList<>();
    List<HTTPRouteRule> specRules =
        route.getSpec() == null || route.getSpec().getRules() == null
            ? List.of()
            : route.getSpec().getRules();
    for (int i = 0; i < specRules.size(); i++) {
      RuleNode rule = rules.process(snapshot, route, specRules.get(i), i, ruleProblems);
      if (rule != null) {
        ruleNodes.add(rule);
      }
    }
    for (String hostname : hostnames(route)) {
      if (!validator.isHostname(hostname)) {
        ruleNodes.clear();
        ruleProblems.add("hostname " + RouteRuleProcessor.printable(hostname) + " is not valid");
        break;
      }
    }
    Condition resolved = resolvedRefs(ruleNodes, gen);
    List<ParentNode> parents = new ArrayList<>();
    for (ParentReference ref : Graph.parentRefs(route)) {
      String group = ref.getGroup() == null ? GATEWAY_GROUP : ref.getGroup();
      String kind = ref.getKind() == null ? "Gateway" : ref.getKind();
      String gatewayKey =
          (ref.getNamespace() == null ? ns : ref.getNamespace()) + "/" + ref.getName();
      GatewayNode gateway = gateways.get(gatewayKey);
      if (!GATEWAY_GROUP.equals(group) || !"Gateway".equals(kind) || gateway == null) {
        continue;
      }
      parents.add(attach(route, ref, gateway, ruleNodes, ruleProblems, resolved));
    }
    return parents.isEmpty() ? null : new RouteNode(route, parents, ruleNodes);
  }

  private ParentNode attach(
      HTTPRoute route,
      ParentReference ref,
      GatewayNode gateway,
      List<RuleNode> ruleNodes,
      List<String> ruleProblems,
      Condition resolved) {
    Long gen = route.getMetadata().getGeneration();
    String ns = route.getMetadata().getNamespace();
    List<String> attached = new ArrayList<>();
    boolean sectionFound = false;
    boolean allowed = false;
    for (ListenerNode listener : gateway.listeners()) {
      if (ref.getSectionName() != null && !ref.getSectionName().equals(listener.name())) {
        continue;
      }
      if (ref.getPort() != null && ref.getPort() != listener.port()) {
        continue;
      }
      sectionFound = true;
      if (!listener.valid() || !allows(listener, ns, gateway)) {
        continue;
      }
      allowed = true;
      if (HostnameMatch.intersects(listener.hostname(), hostnames(route))) {
        attached.add(listener.name());
      }
    }
    Condition accepted;
    if (!sectionFound) {
      accepted =
          Conditions.routeNoMatchingParent(
              gen, "no listener " + ref.getSectionName() + " on the Gateway");
    } else if (!allowed) {
      accepted = Conditions.routeNotAllowedByListeners(gen);
    } else if (attached.isEmpty()) {
      accepted = Conditions.routeNoMatchingListenerHostname(gen);
    } else if (ruleNodes.isEmpty() && !ruleProblems.isEmpty()) {
      accepted = Conditions.routeUnsupportedValue(gen, String.join("; ", ruleProblems));
    } else {
      accepted = Conditions.routeAccepted(gen);
    }
    boolean ok = "True".equals(accepted.getStatus());
    return new ParentNode(
        ref,
        gateway.key(),
        ok ? List.copyOf(attached) : List.of(),
        ok,
        List.of(accepted, resolved));
  }

  private static Condition resolvedRefs(List<RuleNode> rules, Long gen) {
    for (RuleNode rule : rules) {
      for (BackendNode backend : rule.backends()) {
        if (!backend.resolved()) {
          return backend.problem().startsWith("RefNotPermitted")
              ? Conditions.routeRefNotPermitted(gen, backend.problem())
              : backend.problem().startsWith("InvalidKind")
                  ? Conditions.routeInvalidKind(gen, backend.problem())
                  : Conditions.routeBackendNotFound(gen, backend.problem());
        }
      }
    }
    return Conditions.routeResolvedRefs(gen);
  }

  private static List<String> hostnames(HTTPRoute route) {
    return route.getSpec() == null || route.getSpec().getHostnames() == null
        ? List.of()
        : route.getSpec().getHostnames();
  }

  private static boolean allows(ListenerNode listener, String routeNamespace, GatewayNode gateway) {
    return switch (listener.allowedFrom()) {
      case "All" -> true;
      case "Selector" -> listener.allowedNamespaces().contains(routeNamespace);
      default -> routeNamespace.equals(gateway.source().getMetadata().getNamespace());
    };
  }

  private Map<String, PoolNode> buildPools(
      ClusterSnapshot snapshot, Map<String, RouteNode> routes) {
    Map<String, Set<String>> parentsByPool = new TreeMap<>();
    for (RouteNode route : routes.values()) {
      for (ParentNode parent : route.parents()) {
        if (!parent.accepted()) {
          continue;
        }
        for (RuleNode rule : route.rules()) {
          for (BackendNode backend : rule.backends()) {
            if (backend.resolved()) {
              parentsByPool
                  .computeIfAbsent(backend.poolKey(), k -> new LinkedHashSet<>())
                  .add(parent.gatewayKey());
            }
          }
        }
      }
    }
    Map<String, PoolNode> nodes = new LinkedHashMap<>();
    parentsByPool.forEach(
        (key, parents) ->
            nodes.put(key, pools.process(snapshot, snapshot.pools().get(key), parents)));
    return nodes;
  }

  private static Map<String, GatewayNode> countAttachments(
      Map<String, GatewayNode> gateways, Map<String, RouteNode> routes) {
    Map<String, GatewayNode> out = new TreeMap<>();
    gateways.forEach(
        (key, gateway) -> {
          List<ListenerNode> counted =
              gateway.listeners().stream()
                  .map(
                      l ->
                          l.withAttachedRoutes(
                              (int)
                                  routes.values().stream()
                                      .flatMap(r -> r.parents().stream())
                                      .filter(
                                          p ->
                                              p.accepted()
                                                  && p.gatewayKey().equals(key)
                                                  && p.listeners().contains(l.name()))
                                      .count()))
                  .toList();
          out.put(
              key,
              new GatewayNode(gateway.source(), gateway.valid(), gateway.conditions(), counted));
        });
    return out;
  }

  /** Weighted backends of a rule as the route wrote them; used by {@link RouteRuleProcessor}. */
  static List<HTTPBackendRef> backendRefs(HTTPRouteRule rule) {
    return rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
  }
}
