package io.igw.controller.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.igw.api.InferencePool;
import io.igw.api.TokenRateLimitPolicy;
import io.igw.controller.graph.Conditions;
import io.igw.controller.graph.Graph;
import io.igw.controller.graph.Graph.AncestorNode;
import io.igw.controller.graph.Graph.GatewayNode;
import io.igw.controller.graph.Graph.ListenerNode;
import io.igw.controller.graph.Graph.ParentNode;
import io.igw.controller.graph.Graph.PolicyNode;
import io.igw.controller.graph.Graph.PoolNode;
import io.igw.controller.graph.Graph.RouteNode;
import io.igw.controller.source.ClusterSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Desired status of every resource igw owns, from the graph. Pools no longer referenced by any of
 * our gateways get an empty {@code parents} list, so a stale entry is cleared.
 */
public final class StatusBuilder {
  private final String controllerName;
  private final boolean rateLimitPolicies;

  /** Without TokenRateLimitPolicies: local mode, where the picker's log reports them. */
  public StatusBuilder(String controllerName) {
    this(controllerName, false);
  }

  /**
   * @param rateLimitPolicies whether TokenRateLimitPolicies get their {@code status.ancestors} (in
   *     a cluster)
   */
  public StatusBuilder(String controllerName, boolean rateLimitPolicies) {
    this.controllerName = controllerName;
    this.rateLimitPolicies = rateLimitPolicies;
  }

  /**
   * @param addresses the addresses NGINX listens on, for Gateway status
   * @param applyError why the last config was not applied (nginx -t output), or null
   */
  public List<ResourceStatus> build(
      ClusterSnapshot snapshot, Graph graph, List<String> addresses, String applyError) {
    List<ResourceStatus> out = new ArrayList<>();
    graph
        .classes()
        .values()
        .forEach(
            c ->
                out.add(
                    new ResourceStatus(
                        "GatewayClass",
                        "gateway.networking.k8s.io/v1",
                        c.source().getMetadata().getName(),
                        Map.of("conditions", conditions(c.conditions())))));
    graph.gateways().values().forEach(g -> out.add(gateway(g, addresses, applyError)));
    graph.routes().values().forEach(r -> out.add(route(r)));
    for (InferencePool pool : snapshot.pools().values()) {
      PoolNode node = graph.pools().get(ClusterSnapshot.key(pool));
      out.add(pool(pool, node, snapshot.legacyPools().contains(ClusterSnapshot.key(pool))));
    }
    if (rateLimitPolicies) {
      graph.policies().forEach((key, policy) -> out.add(policy(key, policy)));
    }
    return out;
  }

  /** Gateway API's PolicyStatus: one ancestor per target, with its Accepted condition. */
  private ResourceStatus policy(String key, PolicyNode policy) {
    List<Map<String, Object>> ancestors = new ArrayList<>();
    for (AncestorNode a : policy.ancestors()) {
      Map<String, Object> ref = new LinkedHashMap<>();
      putIfSet(ref, "group", a.group());
      putIfSet(ref, "kind", a.kind());
      putIfSet(ref, "namespace", a.namespace());
      putIfSet(ref, "name", a.name());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("ancestorRef", ref);
      entry.put("controllerName", controllerName);
      entry.put("conditions", conditions(List.of(a.accepted())));
      ancestors.add(entry);
    }
    return new ResourceStatus(
        TokenRateLimitPolicy.KIND,
        TokenRateLimitPolicy.API_VERSION,
        key,
        Map.of("ancestors", ancestors));
  }

  private static void putIfSet(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private ResourceStatus gateway(GatewayNode g, List<String> addresses, String applyError) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put(
        "addresses", addresses.stream().map(a -> Map.of("type", "IPAddress", "value", a)).toList());
    List<Condition> gatewayConditions =
        applyError == null
            ? g.conditions()
            : g.conditions().stream()
                .map(
                    c ->
                        "Programmed".equals(c.getType())
                            ? Conditions.gatewayNotProgrammed(
                                g.source().getMetadata().getGeneration(),
                                "the new config failed nginx -t and was not applied: " + applyError)
                            : c)
                .toList();
    status.put("conditions", conditions(gatewayConditions));
    List<Map<String, Object>> listeners = new ArrayList<>();
    for (ListenerNode l : g.listeners()) {
      Map<String, Object> ls = new LinkedHashMap<>();
      ls.put("name", l.name());
      ls.put(
          "supportedKinds",
          List.of(Map.of("group", "gateway.networking.k8s.io", "kind", "HTTPRoute")));
      ls.put("attachedRoutes", l.attachedRoutes());
      ls.put("conditions", conditions(l.conditions()));
      listeners.add(ls);
    }
    status.put("listeners", listeners);
    return new ResourceStatus("Gateway", "gateway.networking.k8s.io/v1", g.key(), status);
  }

  private ResourceStatus route(RouteNode r) {
    List<Map<String, Object>> parents = new ArrayList<>();
    for (ParentNode p : r.parents()) {
      Map<String, Object> ps = new LinkedHashMap<>();
      ps.put("parentRef", parentRef(p.ref()));
      ps.put("controllerName", controllerName);
      ps.put("conditions", conditions(p.conditions()));
      parents.add(ps);
    }
    return new ResourceStatus(
        "HTTPRoute", "gateway.networking.k8s.io/v1", r.key(), Map.of("parents", parents));
  }

  /**
   * v1: {@code status.parents[]}; v1alpha2 (legacy): the same entries under {@code status.parent}.
   */
  private ResourceStatus pool(InferencePool pool, PoolNode node, boolean legacy) {
    List<Map<String, Object>> parents = new ArrayList<>();
    if (node != null) {
      for (String gatewayKey : node.parents()) {
        String[] nsName = gatewayKey.split("/", 2);
        Map<String, Object> ps = new LinkedHashMap<>();
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("group", "gateway.networking.k8s.io");
        ref.put("kind", "Gateway");
        ref.put("namespace", nsName[0]);
        ref.put("name", nsName[1]);
        ps.put("parentRef", ref);
        ps.put("controllerName", controllerName);
        ps.put("conditions", conditions(node.conditions()));
        parents.add(ps);
      }
    }
    return legacy
        ? new ResourceStatus(
            "InferencePool",
            io.igw.api.v1alpha2.InferencePool.GROUP
                + "/"
                + io.igw.api.v1alpha2.InferencePool.VERSION,
            ClusterSnapshot.key(pool),
            Map.of("parent", parents))
        : new ResourceStatus(
            "InferencePool",
            InferencePool.API_VERSION,
            ClusterSnapshot.key(pool),
            Map.of("parents", parents));
  }

  private static Map<String, Object> parentRef(ParentReference ref) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("group", ref.getGroup() == null ? "gateway.networking.k8s.io" : ref.getGroup());
    out.put("kind", ref.getKind() == null ? "Gateway" : ref.getKind());
    if (ref.getNamespace() != null) {
      out.put("namespace", ref.getNamespace());
    }
    out.put("name", ref.getName());
    if (ref.getSectionName() != null) {
      out.put("sectionName", ref.getSectionName());
    }
    return out;
  }

  private static List<Map<String, Object>> conditions(List<Condition> conditions) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Condition c : conditions) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", c.getType());
      m.put("status", c.getStatus());
      m.put("reason", c.getReason());
      m.put("message", c.getMessage());
      if (c.getObservedGeneration() != null) {
        m.put("observedGeneration", c.getObservedGeneration());
      }
      out.add(m);
    }
    return out;
  }
}
