package io.igw.controller.graph;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.igw.controller.graph.Graph.BackendNode;
import io.igw.controller.graph.Graph.FilterNode;
import io.igw.controller.graph.Graph.PathMatch;
import io.igw.controller.graph.Graph.RuleNode;
import io.igw.controller.source.ClusterSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks one rule of an HTTPRoute: its path matches, filters and backendRefs. */
final class RouteRuleProcessor {
  private final ValueValidator validator;

  RouteRuleProcessor(ValueValidator validator) {
    this.validator = validator;
  }

  /**
   * The rule, or null (with the reason added to {@code problems}) when it cannot be served at all.
   */
  RuleNode process(
      ClusterSnapshot snapshot,
      HTTPRoute route,
      HTTPRouteRule rule,
      int index,
      List<String> problems) {
    String where = "rule " + index + ": ";
    List<PathMatch> matches = new ArrayList<>();
    List<HTTPRouteMatch> specMatches =
        rule.getMatches() == null || rule.getMatches().isEmpty()
            ? List.of(new HTTPRouteMatch())
            : rule.getMatches();
    for (HTTPRouteMatch match : specMatches) {
      HTTPPathMatch path = match.getPath();
      String type = path == null || path.getType() == null ? "PathPrefix" : path.getType();
      String value = path == null || path.getValue() == null ? "/" : path.getValue();
      if (!"PathPrefix".equals(type) && !"Exact".equals(type)) {
        problems.add(where + "path match type " + printable(type) + " is not supported");
        return null;
      }
      if (!validator.isPath(value)) {
        problems.add(where + "path " + printable(value) + " is not allowed");
        return null;
      }
      PathMatch conditions = conditions(match, type, value, where, problems);
      if (conditions == null) {
        return null;
      }
      matches.add(conditions);
    }
    List<FilterNode> filters = new ArrayList<>();
    for (HTTPRouteFilter filter :
        rule.getFilters() == null ? List.<HTTPRouteFilter>of() : rule.getFilters()) {
      FilterNode node = filter(filter, where, problems);
      if (node == null) {
        return null;
      }
      filters.add(node);
    }
    List<BackendNode> backends = new ArrayList<>();
    for (HTTPBackendRef ref : GraphBuilder.backendRefs(rule)) {
      backends.add(backend(snapshot, route, ref));
    }
    boolean redirects = filters.stream().anyMatch(f -> "RequestRedirect".equals(f.type()));
    if (backends.isEmpty() && !redirects) {
      backends.add(new BackendNode(null, 1, "BackendNotFound: the rule has no backendRefs"));
    }
    return new RuleNode(index, List.copyOf(matches), List.copyOf(backends), List.copyOf(filters));
  }

  private static final java.util.Set<String> METHODS =
      java.util.Set.of(
          "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private PathMatch conditions(
      HTTPRouteMatch match, String type, String value, String where, List<String> problems) {
    String method = match.getMethod();
    if (method != null && !METHODS.contains(method)) {
      problems.add(where + "method " + printable(method) + " is not valid");
      return null;
    }
    Map<String, String> headers = new java.util.TreeMap<>();
    for (var h :
        match.getHeaders() == null
            ? List.<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch>of()
            : match.getHeaders()) {
      if (h.getType() != null && !"Exact".equals(h.getType())) {
        problems.add(where + "header match type " + printable(h.getType()) + " is not supported");
        return null;
      }
      if (!validator.isHeaderName(h.getName()) || !validator.isMatchValue(h.getValue())) {
        problems.add(
            where + "header match " + printable(h.getName()) + " has an invalid name or value");
        return null;
      }
      headers.put(h.getName().toLowerCase(), h.getValue());
    }
    Map<String, String> query = new java.util.TreeMap<>();
    for (var q :
        match.getQueryParams() == null
            ? List.<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch>of()
            : match.getQueryParams()) {
      if (q.getType() != null && !"Exact".equals(q.getType())) {
        problems.add(where + "query match type " + printable(q.getType()) + " is not supported");
        return null;
      }
      if (!validator.isHeaderName(q.getName()) || !validator.isMatchValue(q.getValue())) {
        problems.add(
            where + "query match " + printable(q.getName()) + " has an invalid name or value");
        return null;
      }
      query.put(q.getName(), q.getValue());
    }
    return new PathMatch(type, value, method, Map.copyOf(headers), Map.copyOf(query));
  }

  private BackendNode backend(ClusterSnapshot snapshot, HTTPRoute route, HTTPBackendRef ref) {
    int weight = ref.getWeight() == null ? 1 : Math.max(0, ref.getWeight());
    String kind = ref.getKind() == null ? "Service" : ref.getKind();
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String routeNs = route.getMetadata().getNamespace();
    String ns = ref.getNamespace() == null ? routeNs : ref.getNamespace();
    if (!"InferencePool".equals(kind) || !GraphBuilder.POOL_GROUP.equals(group)) {
      return new BackendNode(
          null,
          weight,
          "InvalidKind: backend "
              + printable(group + "/" + kind)
              + " is not supported; use an InferencePool");
    }
    if (!validator.isName(ns) || !validator.isName(ref.getName())) {
      return new BackendNode(
          null,
          weight,
          "BackendNotFound: invalid InferencePool name " + printable(ns + "/" + ref.getName()));
    }
    if (!ns.equals(routeNs)
        && !ReferenceGrants.allows(
            snapshot,
            GraphBuilder.GATEWAY_GROUP,
            "HTTPRoute",
            routeNs,
            GraphBuilder.POOL_GROUP,
            "InferencePool",
            ns,
            ref.getName())) {
      return new BackendNode(
          null,
          weight,
          "RefNotPermitted: no ReferenceGrant allows InferencePool " + ns + "/" + ref.getName());
    }
    String key = ns + "/" + ref.getName();
    if (!snapshot.pools().containsKey(key)) {
      return new BackendNode(null, weight, "BackendNotFound: InferencePool " + key + " not found");
    }
    return new BackendNode(key, weight, null);
  }

  private FilterNode filter(HTTPRouteFilter filter, String where, List<String> problems) {
    switch (String.valueOf(filter.getType())) {
      case "RequestHeaderModifier" -> {
        HTTPHeaderFilter h = filter.getRequestHeaderModifier();
        if (h == null) {
          problems.add(where + "RequestHeaderModifier has no settings");
          return null;
        }
        Map<String, String> set = headers(h.getSet(), where, problems);
        Map<String, String> add = headers(h.getAdd(), where, problems);
        List<String> remove = h.getRemove() == null ? List.of() : h.getRemove();
        if (set == null
            || add == null
            || !remove.stream().allMatch(n -> validator.isHeaderName(n) && !reserved(n))) {
          if (set != null && add != null) {
            problems.add(where + "invalid header name to remove");
          }
          return null;
        }
        return new FilterNode(
            "RequestHeaderModifier",
            set,
            add,
            List.copyOf(remove),
            null,
            null,
            null,
            null,
            null,
            null);
      }
      case "URLRewrite" -> {
        var rw = filter.getUrlRewrite();
        String pathType = rw == null || rw.getPath() == null ? null : rw.getPath().getType();
        String path =
            rw == null || rw.getPath() == null
                ? null
                : "ReplaceFullPath".equals(pathType)
                    ? rw.getPath().getReplaceFullPath()
                    : rw.getPath().getReplacePrefixMatch();
        String hostname = rw == null ? null : rw.getHostname();
        if ((path != null && !validator.isPath(path))
            || (hostname != null && !validator.isHostname(hostname))) {
          problems.add(where + "URLRewrite has an invalid path or hostname");
          return null;
        }
        return new FilterNode(
            "URLRewrite",
            Map.of(),
            Map.of(),
            List.of(),
            pathType,
            path,
            hostname,
            null,
            null,
            null);
      }
      case "RequestRedirect" -> {
        var rd = filter.getRequestRedirect();
        String scheme = rd.getScheme();
        String hostname = rd.getHostname();
        String pathType = rd.getPath() == null ? null : rd.getPath().getType();
        String path =
            rd.getPath() == null
                ? null
                : "ReplaceFullPath".equals(pathType)
                    ? rd.getPath().getReplaceFullPath()
                    : rd.getPath().getReplacePrefixMatch();
        int status = rd.getStatusCode() == null ? 302 : rd.getStatusCode();
        boolean ok =
            (scheme == null || scheme.equals("http") || scheme.equals("https"))
                && (hostname == null || validator.isHostname(hostname))
                && (path == null || validator.isPath(path))
                && (rd.getPort() == null || validator.isPort(rd.getPort()))
                && (status == 301 || status == 302);
        if (!ok) {
          problems.add(
              where + "RequestRedirect has an invalid scheme, hostname, path, port or status");
          return null;
        }
        return new FilterNode(
            "RequestRedirect",
            Map.of(),
            Map.of(),
            List.of(),
            pathType,
            path,
            hostname,
            scheme,
            rd.getPort(),
            status);
      }
      default -> {
        problems.add(
            where + "filter " + printable(String.valueOf(filter.getType())) + " is not supported");
        return null;
      }
    }
  }

  /** Headers igw itself sets towards the model server: a route filter may not change them. */
  private static final java.util.Set<String> RESERVED_HEADERS =
      java.util.Set.of(
          "host",
          "connection",
          "content-length",
          "transfer-encoding",
          "x-request-id",
          "x-forwarded-for");

  private boolean reserved(String name) {
    String lower = name.toLowerCase();
    return RESERVED_HEADERS.contains(lower)
        || lower.startsWith("x-gateway-")
        || lower.startsWith("x-igw-");
  }

  private Map<String, String> headers(
      List<HTTPHeader> headers, String where, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    for (HTTPHeader h : headers == null ? List.<HTTPHeader>of() : headers) {
      if (h.getName() != null && reserved(h.getName())) {
        problems.add(
            where
                + "header "
                + printable(h.getName())
                + " is set by the gateway and cannot be changed");
        return null;
      }
      if (!validator.isHeaderName(h.getName()) || !validator.isHeaderValue(h.getValue())) {
        problems.add(where + "header " + printable(h.getName()) + " has an invalid name or value");
        return null;
      }
      out.put(h.getName(), h.getValue());
    }
    return out;
  }

  static String printable(String value) {
    String v = value == null ? "null" : value;
    v = v.length() > 80 ? v.substring(0, 80) + "..." : v;
    return v.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
