package io.igw.controller.model;

import io.igw.controller.graph.Graph;
import io.igw.controller.graph.Graph.BackendNode;
import io.igw.controller.graph.Graph.FilterNode;
import io.igw.controller.graph.Graph.GatewayNode;
import io.igw.controller.graph.Graph.ListenerNode;
import io.igw.controller.graph.Graph.PathMatch;
import io.igw.controller.graph.Graph.PoolNode;
import io.igw.controller.graph.Graph.RouteNode;
import io.igw.controller.graph.Graph.RuleNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the gateway model from the graph, a pure function: a server per (port, host name), a
 * location per path match of every accepted route rule, named proxy locations per (rule, pool),
 * upstreams per pool.
 */
public final class GatewayModelBuilder {

  /**
   * @param listenPort when not null, every listener is served on this port instead (the local
   *     demo's --port)
   */
  public NginxConfig build(Graph graph, RuntimeSettings settings, Integer listenPort) {
    Map<String, PoolBlock> pools = pools(graph, settings.responsePhase());
    Map<String, ServerAccumulator> servers = new TreeMap<>();
    List<NginxConfig.Certificate> certificates = new ArrayList<>();
    int ruleSeq = 0;
    for (GatewayNode gateway : graph.gateways().values()) {
      for (ListenerNode listener : gateway.listeners()) {
        if (!listener.valid()) {
          continue;
        }
        int port = listenPort != null ? listenPort : listener.port();
        NginxConfig.Certificate tls =
            listener.tls() == null
                ? null
                : NginxConfig.Certificate.of(
                    listener.tls().id(), listener.tls().certificatePem(), listener.tls().keyPem());
        if (tls != null && certificates.stream().noneMatch(c -> c.id().equals(tls.id()))) {
          certificates.add(tls);
        }
        for (RouteNode route : attached(graph, gateway, listener)) {
          for (String host : hosts(listener, route)) {
            ServerAccumulator server =
                servers.computeIfAbsent(
                    port + " " + host, k -> new ServerAccumulator(port, host, tls));
            for (RuleNode rule : route.rules()) {
              ruleSeq = server.addRule(route, rule, pools, ruleSeq);
            }
          }
        }
        servers.computeIfAbsent(
            port + " " + (listener.hostname() == null ? "_" : listener.hostname()),
            k ->
                new ServerAccumulator(
                    port, listener.hostname() == null ? "_" : listener.hostname(), tls));
      }
    }
    List<ServerBlock> blocks = new ArrayList<>();
    Map<Integer, Boolean> hasDefault = new TreeMap<>();
    servers.values().forEach(s -> hasDefault.merge(s.port, s.host.equals("_"), Boolean::logicalOr));
    servers.values().forEach(s -> blocks.add(s.toBlock()));
    hasDefault.forEach(
        (port, has) -> {
          if (!has) {
            blocks.add(new ServerBlock(port, "_", true, sslOf(blocks, port), List.of(), List.of()));
          }
        });
    List<AppendedHeader> appended =
        graph.routes().values().stream()
            .flatMap(r -> r.rules().stream())
            .flatMap(r -> r.filters().stream())
            .flatMap(f -> f.add().keySet().stream())
            .map(AppendedHeader::of)
            .distinct()
            .toList();
    return new NginxConfig(settings, blocks, List.copyOf(pools.values()), certificates, appended);
  }

  private static NginxConfig.Certificate sslOf(List<ServerBlock> blocks, int port) {
    return blocks.stream()
        .filter(b -> b.port() == port && b.tls() != null)
        .map(ServerBlock::tls)
        .findFirst()
        .orElse(null);
  }

  private static Map<String, PoolBlock> pools(Graph graph, ResponsePhase responsePhase) {
    Map<String, PoolBlock> pools = new LinkedHashMap<>();
    int i = 0;
    for (PoolNode pool : graph.pools().values()) {
      List<EndpointUpstream> endpoints =
          pool.endpoints().stream().map(EndpointUpstream::of).toList();
      PickerMode picker = PickerMode.of(pool.pickerAvailable(), pool.foreignEpp());
      pools.put(
          pool.key(),
          new PoolBlock(
              "igw_pool_" + i++,
              pool.key(),
              FailureMode.of(pool.failOpen()),
              picker,
              io.igw.api.InferencePoolSpec.APP_PROTOCOL_H2C.equals(pool.appProtocol()),
              responsePhase.relays() && picker == PickerMode.BRIDGE,
              endpoints));
    }
    return pools;
  }

  private static List<RouteNode> attached(Graph graph, GatewayNode gateway, ListenerNode listener) {
    return graph.routes().values().stream()
        .filter(
            r ->
                r.parents().stream()
                    .anyMatch(
                        p ->
                            p.accepted()
                                && p.gatewayKey().equals(gateway.key())
                                && p.listeners().contains(listener.name())))
        .toList();
  }

  private static List<String> hosts(ListenerNode listener, RouteNode route) {
    if (listener.hostname() != null) {
      return List.of(listener.hostname());
    }
    List<String> routeHosts = route.source().getSpec().getHostnames();
    return routeHosts == null || routeHosts.isEmpty() ? List.of("_") : routeHosts;
  }

  /** Locations and rule blocks of one server, first route (oldest) wins a matcher. */
  private static final class ServerAccumulator {
    final int port;
    final String host;
    final NginxConfig.Certificate tls;
    final Map<LocationPath, List<Candidate>> candidates = new LinkedHashMap<>();
    final List<RuleBlock> rules = new ArrayList<>();

    ServerAccumulator(int port, String host, NginxConfig.Certificate tls) {
      this.port = port;
      this.host = host;
      this.tls = tls;
    }

    int addRule(RouteNode route, RuleNode rule, Map<String, PoolBlock> pools, int seq) {
      Redirect redirect = redirect(rule);
      List<HeaderChange> headerChanges = headerChanges(rule);
      UrlRewrite urlRewrite = urlRewrite(rule);
      List<WeightedBackend> backends = new ArrayList<>();
      int next = seq;
      for (BackendNode backend : rule.backends()) {
        if (backend.weight() == 0) {
          continue;
        }
        PoolBlock pool = backend.resolved() ? pools.get(backend.poolKey()) : null;
        if (pool == null) {
          backends.add(new WeightedBackend(backend.weight(), null));
          continue;
        }
        RuleBlock block = new RuleBlock("igw_rule_" + next++, pool, headerChanges, urlRewrite);
        rules.add(block);
        backends.add(new WeightedBackend(backend.weight(), block));
      }
      for (PathMatch match : rule.matches()) {
        MatchConditions conditions =
            new MatchConditions(match.method(), match.headers(), match.queryParams());
        RouteCandidate candidate =
            redirect != null
                ? new RouteCandidate(conditions, List.of(), redirect)
                : new RouteCandidate(conditions, backends, null);
        for (LocationPath path : locationPaths(match)) {
          List<Candidate> list = candidates.computeIfAbsent(path, k -> new ArrayList<>());
          list.add(new Candidate(match, candidate, list.size()));
        }
      }
      return next;
    }

    ServerBlock toBlock() {
      List<RouteLocation> locations = new ArrayList<>();
      candidates.forEach((path, list) -> locations.add(location(path, list)));
      return new ServerBlock(port, host, host.equals("_"), tls, locations, rules);
    }
  }

  /**
   * The path an NGINX location matches: that path only ({@code exact}), or it and everything under
   * it.
   */
  record LocationPath(boolean exact, String path) {}

  /**
   * One rule match competing for a location; {@code order} keeps route age and rule order among
   * equals.
   */
  private record Candidate(PathMatch match, RouteCandidate route, int order) {
    int weight() {
      return (match.method() != null ? 10_000 : 0)
          + match.headers().size() * 100
          + match.queryParams().size();
    }
  }

  /**
   * Gateway API precedence within one path: method, then more headers, then more query parameters.
   * Candidates after the first unconditional one can never serve, so they are left out.
   */
  private static RouteLocation location(LocationPath path, List<Candidate> list) {
    List<Candidate> sorted =
        list.stream()
            .sorted(
                java.util.Comparator.comparingInt(Candidate::weight)
                    .reversed()
                    .thenComparingInt(Candidate::order))
            .toList();
    List<RouteCandidate> candidates = new ArrayList<>();
    for (Candidate c : sorted) {
      candidates.add(c.route());
      if (!c.match().conditional()) {
        break;
      }
    }
    return new RouteLocation(path.exact(), path.path(), candidates);
  }

  /** Exact: that path; PathPrefix: the path itself and everything under it ("/" is everything). */
  static List<LocationPath> locationPaths(PathMatch match) {
    String value = match.value();
    if ("Exact".equals(match.type())) {
      return List.of(new LocationPath(true, value));
    }
    String trimmed =
        value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    return trimmed.equals("/")
        ? List.of(new LocationPath(false, "/"))
        : List.of(new LocationPath(true, trimmed), new LocationPath(false, trimmed + "/"));
  }

  private static List<HeaderChange> headerChanges(RuleNode rule) {
    List<HeaderChange> out = new ArrayList<>();
    for (FilterNode f : rule.filters()) {
      if ("RequestHeaderModifier".equals(f.type())) {
        f.set().forEach((k, v) -> out.add(HeaderChange.set(k, v)));
        f.add().forEach((k, v) -> out.add(HeaderChange.add(k, v)));
        f.remove().forEach(k -> out.add(HeaderChange.remove(k)));
      }
    }
    return out;
  }

  private static UrlRewrite urlRewrite(RuleNode rule) {
    for (FilterNode f : rule.filters()) {
      if ("URLRewrite".equals(f.type())) {
        UrlRewrite.PathRewrite path;
        if (f.path() == null) {
          path = null;
        } else if ("ReplaceFullPath".equals(f.pathType())) {
          path = new UrlRewrite.ReplaceFullPath(f.path());
        } else {
          path = new UrlRewrite.ReplacePrefix(prefixOf(rule), f.path().equals("/") ? "" : f.path());
        }
        return f.hostname() == null && path == null ? null : new UrlRewrite(f.hostname(), path);
      }
    }
    return null;
  }

  private static String prefixOf(RuleNode rule) {
    return rule.matches().stream()
        .filter(m -> "PathPrefix".equals(m.type()))
        .map(PathMatch::value)
        .map(v -> v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v)
        .map(v -> v.equals("/") ? "" : v)
        .findFirst()
        .orElse("");
  }

  private static Redirect redirect(RuleNode rule) {
    for (FilterNode f : rule.filters()) {
      if ("RequestRedirect".equals(f.type())) {
        return new Redirect(f.statusCode(), f.scheme(), f.hostname(), f.port(), f.path());
      }
    }
    return null;
  }
}
