package io.igw.controller.model;

import java.util.List;

/**
 * A location of a server: the path it matches ({@code exact}: that path only, else the path and
 * everything under it) and the rules that serve it, most specific first; the first whose conditions
 * hold serves a request. A location whose first candidate has no conditions has only that
 * candidate.
 */
public record RouteLocation(boolean exact, String path, List<RouteCandidate> candidates) {
  public RouteLocation {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a route location needs a candidate");
    }
  }

  /** A redirect NGINX answers itself: one unconditional candidate that redirects. */
  public Redirect plainRedirect() {
    RouteCandidate first = candidates.get(0);
    return first.conditions().isEmpty() && first.redirects() ? first.redirect() : null;
  }
}
