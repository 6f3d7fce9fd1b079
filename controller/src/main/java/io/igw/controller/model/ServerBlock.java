package io.igw.controller.model;

import java.util.List;

/**
 * One {@code server {}}: a listener port and host name ("_" for any), TLS when the listener is
 * HTTPS, the route locations and the named proxy locations of the rules they use.
 */
public record ServerBlock(
    int port,
    String serverNames,
    boolean defaultServer,
    NginxConfig.Certificate tls,
    List<RouteLocation> locations,
    List<RuleBlock> rules) {
  public ServerBlock {
    locations = List.copyOf(locations);
    rules = List.copyOf(rules);
  }

  /**
   * Without a catch-all route, unmatched paths get igw's JSON 404 instead of NGINX's default site.
   */
  public boolean needsNotFoundLocation() {
    return locations.stream().noneMatch(l -> !l.exact() && l.path().equals("/"));
  }

  /** The gateway's own {@code /v1/models} here, or null (no route, or the routes own it). */
  public ModelListRoute modelList() {
    return ModelListRoute.of(locations);
  }

  public boolean ssl() {
    return tls != null;
  }
}
