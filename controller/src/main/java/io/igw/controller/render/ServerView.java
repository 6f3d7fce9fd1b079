package io.igw.controller.render;

import io.igw.controller.model.ModelListRoute;
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
    List<RuleView> rules,
    ModelsView models) {

  /**
   * The gateway's {@code /v1/models} locations: which of the two, and the pools header's value (an
   * nginx.conf string).
   */
  public record ModelsView(boolean list, boolean byId, String pools) {
    static ModelsView of(ModelListRoute route) {
      return route == null
          ? null
          : new ModelsView(
              route.list(), route.byId(), NginxText.quoted(String.join(",", route.pools())));
    }
  }

  static ServerView of(ServerBlock server) {
    return new ServerView(
        server.port(),
        server.serverNames(),
        server.defaultServer(),
        server.tls(),
        server.needsNotFoundLocation(),
        server.locations().stream().map(LocationView::of).toList(),
        server.rules().stream().map(RuleView::of).toList(),
        ModelsView.of(server.modelList()));
  }

  public boolean ssl() {
    return tls != null;
  }
}
