package io.igw.bench.lab;

/**
 * Static prefix partitioning: the server is a hash of the prompt's first {@code prefixChars}
 * characters, whatever the load (NGINX {@code hash $prefix} with the prefix taken from the body by
 * njs). Perfect stickiness and, with equally popular prefixes, an even spread; a hot prefix stays
 * on one server.
 */
public final class PrefixHashRouter implements Router {
  static final int PREFIX_CHARS = 1024;
  private final int servers;

  public PrefixHashRouter(int servers) {
    this.servers = servers;
  }

  @Override
  public RoutingDecision route(LabRequest request, long nowMillis) {
    String text = request.promptText();
    int hash = text.substring(0, Math.min(PREFIX_CHARS, text.length())).hashCode();
    return RoutingDecision.to(Math.floorMod(hash * 0x9E3779B9, servers));
  }
}
