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
}
