package io.igw.controller.model;

import java.util.List;

/**
 * The named proxy locations of one route rule, one per pool it sends traffic to: {@code @<id>} (as sent),
 * {@code @<id>_rewrite} (model rewritten by the picker) and {@code @<id>_failopen}. {@code directives} are the
 * rule's filters as NGINX directives (header changes, URL rewrite).
 */
public record RuleBlock(String id, PoolBlock pool, List<String> directives) {
  public RuleBlock {
    directives = List.copyOf(directives);
  }

  /** The directives for an h2c pool's grpc_pass location: header changes as grpc_set_header, rewrites as they are. */
  public List<String> grpcDirectives() {
    return directives.stream().filter(d -> !d.startsWith("proxy_") || d.startsWith("proxy_set_header "))
        .map(d -> d.startsWith("proxy_set_header ") ? "grpc_set_header " + d.substring("proxy_set_header ".length()) : d)
        .toList();
  }
}
