package io.igw.bench.lab;

/** Where a policy sends a request: a server index, or a refusal (429 shed, or an error status). */
public record RoutingDecision(int server, int status, String reason) {
  public static RoutingDecision to(int server) {
    return new RoutingDecision(server, 200, null);
  }

  public static RoutingDecision shed(String reason) {
    return new RoutingDecision(-1, 429, reason);
  }

  public static RoutingDecision error(int status, String reason) {
    return new RoutingDecision(-1, status, reason);
  }

  public boolean routed() {
    return server >= 0;
  }

  public boolean isShed() {
    return status == 429;
  }
}
