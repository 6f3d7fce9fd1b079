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
 * Builds the gateway model from the graph, a pure function: a server per (port, host name), a location per
 * path match of every accepted route rule, named proxy locations per (rule, pool), upstreams per pool.
 */
public final class GatewayModelBuilder {

  /** @param listenPort when not null, every listener is served on this port instead (the local demo's --port) */
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
        NginxConfig.Certificate tls = listener.tls() == null ? null : NginxConfig.Certificate.of(
            listener.tls().id(), listener.tls().certificatePem(), listener.tls().keyPem());
        if (tls != null && certificates.stream().noneMatch(c -> c.id().equals(tls.id()))) {
          certificates.add(tls);
        }
        for (RouteNode route : attached(graph, gateway, listener)) {
          for (String host : hosts(listener, route)) {
            ServerAccumulator server = servers.computeIfAbsent(port + " " + host,
                k -> new ServerAccumulator(port, host, tls));
            for (RuleNode rule : route.rules()) {
              ruleSeq = server.addRule(route, rule, pools, ruleSeq);
            }
          }
        }
        servers.computeIfAbsent(port + " " + (listener.hostname() == null ? "_" : listener.hostname()),
            k -> new ServerAccumulator(port, listener.hostname() == null ? "_" : listener.hostname(), tls));
      }
    }
    List<ServerBlock> blocks = new ArrayList<>();
    Map<Integer, Boolean> hasDefault = new TreeMap<>();
    servers.values().forEach(s -> hasDefault.merge(s.port, s.host.equals("_"), Boolean::logicalOr));
    servers.values().forEach(s -> blocks.add(s.toBlock()));
    hasDefault.forEach((port, has) -> {
      if (!has) {
        blocks.add(new ServerBlock(port, "_", true, sslOf(blocks, port), List.of(), List.of()));
      }
    });
    List<AppendedHeader> appended = graph.routes().values().stream()
        .flatMap(r -> r.rules().stream()).flatMap(r -> r.filters().stream())
        .flatMap(f -> f.add().keySet().stream()).map(AppendedHeader::of).distinct().toList();
    return new NginxConfig(settings, blocks, List.copyOf(pools.values()), certificates, appended);
  }

  private static NginxConfig.Certificate sslOf(List<ServerBlock> blocks, int port) {
    return blocks.stream().filter(b -> b.port() == port && b.tls() != null).map(ServerBlock::tls).findFirst()
        .orElse(null);
  }

  private static Map<String, PoolBlock> pools(Graph graph, ResponsePhase responsePhase) {
    Map<String, PoolBlock> pools = new LinkedHashMap<>();
    int i = 0;
    for (PoolNode pool : graph.pools().values()) {
      List<EndpointUpstream> endpoints = pool.endpoints().stream().map(EndpointUpstream::of).toList();
      String picker = pool.pickerAvailable() ? pool.picker() : "unavailable";
      pools.put(pool.key(), new PoolBlock("igw_pool_" + i++, pool.key(), pool.failOpen(), picker,
          io.igw.api.InferencePoolSpec.APP_PROTOCOL_H2C.equals(pool.appProtocol()),
          responsePhase.relays() && "bridge".equals(picker), endpoints));
    }
    return pools;
  }

  private static List<RouteNode> attached(Graph graph, GatewayNode gateway, ListenerNode listener) {
    return graph.routes().values().stream()
        .filter(r -> r.parents().stream().anyMatch(p -> p.accepted() && p.gatewayKey().equals(gateway.key())
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
    final Map<String, List<Candidate>> candidates = new LinkedHashMap<>();
    final List<RuleBlock> rules = new ArrayList<>();

    ServerAccumulator(int port, String host, NginxConfig.Certificate tls) {
      this.port = port;
      this.host = host;
      this.tls = tls;
    }

    int addRule(RouteNode route, RuleNode rule, Map<String, PoolBlock> pools, int seq) {
      String redirect = redirect(rule);
      List<String> directives = filterDirectives(rule);
      List<String> entries = new ArrayList<>();
      int next = seq;
      for (BackendNode backend : rule.backends()) {
        if (backend.weight() == 0) {
          continue;
        }
        PoolBlock pool = backend.resolved() ? pools.get(backend.poolKey()) : null;
        if (pool == null) {
          entries.add(backend.weight() + " - - - -");
          continue;
        }
        String id = "igw_rule_" + next++;
        rules.add(new RuleBlock(id, pool, directives));
        entries.add(backend.weight() + " @" + id + " " + pool.failureMode() + " " + pool.name() + " "
            + pool.picker());
      }
      String backends = entries.isEmpty() ? "0 - - - -" : String.join(",", entries);
      for (PathMatch match : rule.matches()) {
        for (String matcher : matchers(match)) {
          List<Candidate> list = candidates.computeIfAbsent(matcher, k -> new ArrayList<>());
          list.add(new Candidate(match, backends, redirect, redirectFilter(rule), list.size()));
        }
      }
      return next;
    }

    ServerBlock toBlock() {
      List<RouteLocation> locations = new ArrayList<>();
      candidates.forEach((matcher, list) -> locations.add(location(matcher, list)));
      return new ServerBlock(port, host, host.equals("_"), tls, locations, rules);
    }
  }

  /** One rule match competing for a location; {@code order} keeps route age and rule order among equals. */
  private record Candidate(PathMatch match, String backends, String redirect, FilterNode redirectFilter, int order) {
    int weight() {
      return (match.method() != null ? 10_000 : 0) + match.headers().size() * 100 + match.queryParams().size();
    }
  }

  /** Gateway API precedence within one path: method, then more headers, then more query parameters. */
  private static RouteLocation location(String matcher, List<Candidate> list) {
    List<Candidate> sorted = list.stream()
        .sorted(java.util.Comparator.comparingInt(Candidate::weight).reversed()
            .thenComparingInt(Candidate::order))
        .toList();
    Candidate first = sorted.get(0);
    if (!first.match().conditional()) {
      return new RouteLocation(matcher, first.backends(), first.redirect(), null);
    }
    List<Map<String, Object>> table = new ArrayList<>();
    for (Candidate c : sorted) {
      Map<String, Object> entry = new LinkedHashMap<>();
      if (c.match().method() != null) {
        entry.put("method", c.match().method());
      }
      entry.put("headers", c.match().headers());
      entry.put("query", c.match().queryParams());
      if (c.redirectFilter() != null) {
        FilterNode f = c.redirectFilter();
        Map<String, Object> redirect = new LinkedHashMap<>();
        redirect.put("status", f.statusCode());
        redirect.put("scheme", f.scheme());
        redirect.put("host", f.hostname());
        redirect.put("port", f.port());
        redirect.put("path", f.path());
        entry.put("redirect", redirect);
      } else {
        entry.put("backends", c.backends());
      }
      table.add(entry);
      if (!c.match().conditional()) {
        break;
      }
    }
    return new RouteLocation(matcher, null, null, JSON.writeValueAsString(table));
  }

  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
      .build();

  private static FilterNode redirectFilter(RuleNode rule) {
    return rule.filters().stream().filter(f -> "RequestRedirect".equals(f.type())).findFirst().orElse(null);
  }

  static List<String> matchers(PathMatch match) {
    String value = match.value();
    if ("Exact".equals(match.type())) {
      return List.of("= " + value);
    }
    String trimmed = value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    return trimmed.equals("/") ? List.of("/") : List.of("= " + trimmed, trimmed + "/");
  }

  private static List<String> filterDirectives(RuleNode rule) {
    List<String> out = new ArrayList<>();
    for (FilterNode f : rule.filters()) {
      if ("RequestHeaderModifier".equals(f.type())) {
        f.set().forEach((k, v) -> out.add("proxy_set_header " + k + " \"" + v + "\";"));
        f.add().forEach((k, v) -> out.add("proxy_set_header " + k + " \"${" + AppendedHeader.of(k).variable() + "}"
            + v + "\";"));
        f.remove().forEach(k -> out.add("proxy_set_header " + k + " \"\";"));
      } else if ("URLRewrite".equals(f.type())) {
        if (f.hostname() != null) {
          out.add("set $igw_upstream_host \"" + f.hostname() + "\";");
        }
        if ("ReplaceFullPath".equals(f.pathType())) {
          out.add("rewrite ^ " + f.path() + " break;");
        } else if (f.path() != null) {
          String prefix = prefixOf(rule).replace(".", "\\.");
          String replacement = f.path().equals("/") ? "" : f.path();
          out.add("rewrite ^" + prefix + "(/.*)?$ " + (replacement.isEmpty() ? "$1" : replacement + "$1")
              + " break;");
        }
      }
    }
    return out;
  }

  private static String prefixOf(RuleNode rule) {
    return rule.matches().stream().filter(m -> "PathPrefix".equals(m.type())).map(PathMatch::value)
        .map(v -> v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v)
        .map(v -> v.equals("/") ? "" : v)
        .findFirst().orElse("");
  }

  private static String redirect(RuleNode rule) {
    for (FilterNode f : rule.filters()) {
      if ("RequestRedirect".equals(f.type())) {
        String scheme = f.scheme() == null ? "$scheme" : f.scheme();
        String host = f.hostname() == null ? "$host" : f.hostname();
        String port = f.port() == null ? "" : ":" + f.port();
        String path = f.path() == null ? "$request_uri" : f.path();
        return f.statusCode() + " \"" + scheme + "://" + host + port + path + "\"";
      }
    }
    return null;
  }
}
