package io.igw.bench.lab;

/**
 * Where a policy sends a request: a server index, a refusal (429 shed, or an error status), or held
 * in the policy's flow-control queue (decided later, see {@link Router#release}).
 */
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

  public static RoutingDecision held() {
    return new RoutingDecision(-1, 0, "queued");
  }

  public boolean isHeld() {
    return status == 0;
  }

  public boolean routed() {
    return server >= 0;
  }

  public boolean isShed() {
    return status == 429;
  }
}
