package io.igw.bench.lab;

import java.util.List;

/**
 * NGINX {@code least_conn} over equal servers: the fewest requests in flight from this gateway
 * (known exactly, no metrics involved); ties go round-robin.
 */
public final class LeastRequestsRouter implements Router {
  private final List<LabServer> servers;
  private int start;

  public LeastRequestsRouter(List<LabServer> servers) {
    this.servers = servers;
  }

  @Override
  public RoutingDecision route(LabRequest request, long nowMillis) {
    int n = servers.size();
    int best = -1;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (best < 0 || servers.get(i).inFlight() < servers.get(best).inFlight()) {
        best = i;
      }
    }
    start = (best + 1) % n;
    return RoutingDecision.to(best);
  }
}
