package io.igw.controller.model;

import java.util.List;

/**
 * A rule competing for a location: when {@code conditions} hold, it serves the request either by
 * {@code redirect}, or by its weighted {@code backends} (empty when every weight is 0: a 500).
 */
public record RouteCandidate(
    MatchConditions conditions, List<WeightedBackend> backends, Redirect redirect) {
  public RouteCandidate {
    backends = List.copyOf(backends);
    if (redirect != null && !backends.isEmpty()) {
      throw new IllegalArgumentException("a candidate redirects or has backends, not both");
    }
  }

  public boolean redirects() {
    return redirect != null;
  }
}
