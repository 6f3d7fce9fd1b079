package io.igw.controller.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.igw.api.InferencePool;
import io.igw.api.PoolEndpoints;
import io.igw.controller.source.ClusterSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the gateway model from a snapshot: a pure function. Gateways of igw's GatewayClass, their HTTP
 * listeners, the HTTPRoutes attached to them and the InferencePools the rules send traffic to. Values that
 * fail {@link ConfigValueValidator} are left out and reported in {@link Result#problems()}.
 */
public final class GatewayModelBuilder {
  public static final String CONTROLLER_NAME = "igw.io/gateway-controller";
  public static final String POOL_GROUP = "inference.networking.k8s.io";

  private final ConfigValueValidator validator;

  public GatewayModelBuilder(ConfigValueValidator validator) {
    this.validator = validator;
  }

  public record Result(NginxConfig config, List<String> problems) {}

  /** @param listenPort when not null, every listener is served on this port instead (local demo's --port) */
  public Result build(ClusterSnapshot snapshot, RuntimeSettings settings, Integer listenPort) {
    List<String> problems = new ArrayList<>();
    Map<String, PoolBlock> pools = new LinkedHashMap<>();
    List<ServerBlock> servers = new ArrayList<>();
    Set<String> serverKeys = new LinkedHashSet<>();
    for (Gateway gateway : ourGateways(snapshot)) {
      for (Listener listener : gateway.getSpec().getListeners()) {
        if (!"HTTP".equals(listener.getProtocol()) || !validator.isPort(listener.getPort())) {
          problems.add("gateway=" + ClusterSnapshot.key(gateway) + " listener=" + listener.getName()
              + " problem=only HTTP listeners with a valid port are served");
          continue;
        }
        String hostname = listener.getHostname();
        if (hostname != null && !validator.isHostname(hostname)) {
          problems.add("gateway=" + ClusterSnapshot.key(gateway) + " listener=" + listener.getName()
              + " problem=invalid hostname");
          continue;
        }
        int port = listenPort != null ? listenPort : listener.getPort();
        String names = hostname == null ? "_" : hostname;
        if (!serverKeys.add(port + " " + names)) {
          problems.add("gateway=" + ClusterSnapshot.key(gateway) + " listener=" + listener.getName()
              + " problem=another listener already serves port " + port + " for " + names);
          continue;
        }
        List<RouteLocation> locations = locations(snapshot, gateway, listener, pools, problems);
        servers.add(new ServerBlock(port, names, hostname == null, locations));
      }
    }
    return new Result(new NginxConfig(settings, servers, List.copyOf(pools.values())), List.copyOf(problems));
  }

  private List<Gateway> ourGateways(ClusterSnapshot snapshot) {
    Set<String> classes = new LinkedHashSet<>();
    snapshot.gatewayClasses().values().forEach(c -> {
      if (c.getSpec() != null && CONTROLLER_NAME.equals(c.getSpec().getControllerName())) {
        classes.add(c.getMetadata().getName());
      }
    });
    return snapshot.gateways().values().stream()
        .filter(g -> g.getSpec() != null && classes.contains(g.getSpec().getGatewayClassName()))
        .toList();
  }

  private List<RouteLocation> locations(ClusterSnapshot snapshot, Gateway gateway, Listener listener,
      Map<String, PoolBlock> pools, List<String> problems) {
    Map<String, RouteLocation> byMatcher = new LinkedHashMap<>();
    for (HTTPRoute route : snapshot.routes().values()) {
      if (!attaches(route, gateway, listener)) {
        continue;
      }
      String routeKey = ClusterSnapshot.key(route);
      for (HTTPRouteRule rule : route.getSpec().getRules()) {
        PoolBlock pool = pool(snapshot, route, rule, pools, problems);
        if (pool == null) {
          continue;
        }
        for (String matcher : matchers(rule, routeKey, problems)) {
          byMatcher.putIfAbsent(matcher, new RouteLocation(matcher, pool));
        }
      }
    }
    return List.copyOf(byMatcher.values());
  }

  private boolean attaches(HTTPRoute route, Gateway gateway, Listener listener) {
    if (route.getSpec() == null || route.getSpec().getParentRefs() == null) {
      return false;
    }
    String routeNs = route.getMetadata().getNamespace();
    for (ParentReference ref : route.getSpec().getParentRefs()) {
      String ns = ref.getNamespace() == null ? routeNs : ref.getNamespace();
      boolean sameGateway = Objects.equals(ref.getName(), gateway.getMetadata().getName())
          && Objects.equals(ns, gateway.getMetadata().getNamespace());
      boolean section = ref.getSectionName() == null || ref.getSectionName().equals(listener.getName());
      if (sameGateway && section) {
        return true;
      }
    }
    return false;
  }

  private List<String> matchers(HTTPRouteRule rule, String routeKey, List<String> problems) {
    List<HTTPRouteMatch> matches = rule.getMatches() == null || rule.getMatches().isEmpty()
        ? List.of(new HTTPRouteMatch())
        : rule.getMatches();
    List<String> out = new ArrayList<>();
    for (HTTPRouteMatch match : matches) {
      HTTPPathMatch path = match.getPath();
      String type = path == null || path.getType() == null ? "PathPrefix" : path.getType();
      String value = path == null || path.getValue() == null ? "/" : path.getValue();
      if (!validator.isPath(value)) {
        problems.add("route=" + routeKey + " problem=path is not allowed: " + printable(value));
        continue;
      }
      switch (type) {
        case "Exact" -> out.add("= " + value);
        case "PathPrefix" -> {
          String trimmed = value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
          if (trimmed.equals("/")) {
            out.add("/");
          } else {
            out.add("= " + trimmed);
            out.add(trimmed + "/");
          }
        }
        default -> problems.add("route=" + routeKey + " problem=path match type " + printable(type)
            + " is not supported yet");
      }
    }
    return out;
  }

  private PoolBlock pool(ClusterSnapshot snapshot, HTTPRoute route, HTTPRouteRule rule,
      Map<String, PoolBlock> pools, List<String> problems) {
    String routeKey = ClusterSnapshot.key(route);
    List<HTTPBackendRef> refs = rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
    for (HTTPBackendRef ref : refs) {
      if (!"InferencePool".equals(ref.getKind()) || !POOL_GROUP.equals(ref.getGroup())) {
        continue;
      }
      String ns = ref.getNamespace() == null ? route.getMetadata().getNamespace() : ref.getNamespace();
      if (!validator.isName(ns) || !validator.isName(ref.getName())) {
        problems.add("route=" + routeKey + " problem=invalid InferencePool reference " + printable(ns + "/"
            + ref.getName()));
        return null;
      }
      String key = ns + "/" + ref.getName();
      InferencePool pool = snapshot.pools().get(key);
      if (pool == null) {
        problems.add("route=" + routeKey + " problem=InferencePool " + printable(key) + " not found");
        return null;
      }
      return pools.computeIfAbsent(key, k -> poolBlock(pool, snapshot, pools.size(), problems));
    }
    problems.add("route=" + routeKey + " problem=a rule has no InferencePool backendRef");
    return null;
  }

  private PoolBlock poolBlock(InferencePool pool, ClusterSnapshot snapshot, int index, List<String> problems) {
    String key = ClusterSnapshot.key(pool);
    List<EndpointUpstream> endpoints = new ArrayList<>();
    for (String address : PoolEndpoints.of(pool, snapshot.podList())) {
      String ip = address.startsWith("[") ? address.substring(1, address.indexOf(']'))
          : address.substring(0, address.lastIndexOf(':'));
      if (validator.isIp(ip)) {
        endpoints.add(EndpointUpstream.of(address));
      } else {
        problems.add("pool=" + key + " problem=pod IP is not an IP address: " + printable(ip));
      }
    }
    var ref = pool.getSpec() == null ? null : pool.getSpec().endpointPickerRef();
    boolean failOpen = ref != null && ref.failOpen();
    return new PoolBlock("igw_pool_" + index, key, failOpen, endpoints);
  }

  private static String printable(String value) {
    String v = value == null ? "null" : value;
    v = v.length() > 80 ? v.substring(0, 80) + "..." : v;
    return v.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
