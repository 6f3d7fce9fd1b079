package io.igw.bench.lab;

/** NGINX's default balancer over equal servers: each server in turn, whatever its load. */
public final class RoundRobinRouter implements Router {
  private final int servers;
  private int next;

  public RoundRobinRouter(int servers) {
    this.servers = servers;
  }

  @Override
  public RoutingDecision route(LabRequest request, long nowMillis) {
    int chosen = next;
    next = (next + 1) % servers;
    return RoutingDecision.to(chosen);
  }
}
