package io.igw.controller.model;

import java.util.List;

/** One {@code server {}}: a listener port, its host names ("_" for any) and the route locations. */
public record ServerBlock(int port, String serverNames, boolean defaultServer, List<RouteLocation> locations) {
  public ServerBlock {
    locations = List.copyOf(locations);
  }

  /** Without a catch-all route, unmatched paths get igw's JSON 404 instead of NGINX's default site. */
  public boolean needsNotFoundLocation() {
    return locations.stream().noneMatch(l -> l.matcher().equals("/"));
  }
}
