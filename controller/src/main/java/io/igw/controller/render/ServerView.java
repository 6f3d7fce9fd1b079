package io.igw.controller.render;

import io.igw.controller.model.NginxConfig;
import io.igw.controller.model.ServerBlock;
import java.util.List;

/** One {@code server {}} as the template reads it. */
public record ServerView(
    int port,
    String serverNames,
    boolean defaultServer,
    NginxConfig.Certificate tls,
    boolean needsNotFoundLocation,
    List<LocationView> locations,
    List<RuleView> rules) {

  static ServerView of(ServerBlock server) {
    return new ServerView(
        server.port(),
        server.serverNames(),
        server.defaultServer(),
        server.tls(),
        server.needsNotFoundLocation(),
        server.locations().stream().map(LocationView::of).toList(),
        server.rules().stream().map(RuleView::of).toList());
  }

  public boolean ssl() {
    return tls != null;
  }
}
