package io.igw.controller.model;

import java.util.List;

/**
 * The gateway's own {@code /v1/models} on one server: the pools its route locations can send a
 * request to (namespace/name, sorted), which the picker lists the models of; {@code list}: {@code =
 * /v1/models} is rendered, {@code byId}: {@code ^~ /v1/models/} is. A route of the server's own for
 * either path keeps it (the user's location is rendered instead of the gateway's); a more specific
 * one ({@code = /v1/models/x}, {@code /v1/models/x/}) wins by NGINX's own location order.
 */
public record ModelListRoute(List<String> pools, boolean list, boolean byId) {
  public static final String LIST_PATH = "/v1/models";

  public ModelListRoute {
    pools = List.copyOf(pools);
  }

  /** For a server with these locations; null when it has none or its routes own both paths. */
  static ModelListRoute of(List<RouteLocation> locations) {
    if (locations.isEmpty()) {
      return null;
    }
    boolean list = locations.stream().noneMatch(l -> l.exact() && l.path().equals(LIST_PATH));
    boolean byId =
        locations.stream().noneMatch(l -> !l.exact() && l.path().equals(LIST_PATH + "/"));
    if (!list && !byId) {
      return null;
    }
    List<String> pools =
        locations.stream()
            .flatMap(l -> l.candidates().stream())
            .flatMap(c -> c.backends().stream())
            .filter(WeightedBackend::resolved)
            .map(b -> b.rule().pool().name())
            .distinct()
            .sorted()
            .toList();
    return new ModelListRoute(pools, list, byId);
  }
}
