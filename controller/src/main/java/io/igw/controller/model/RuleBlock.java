package io.igw.controller.model;

import java.util.List;

/**
 * The named proxy locations of one route rule, one per pool it sends traffic to: {@code @<id>} (as
 * sent), {@code @<id>_rewrite} (model rewritten by the picker), their {@code _next} fallbacks and
 * {@code @<id>_failopen}. {@code headerChanges} and {@code urlRewrite} (null: none) are the rule's
 * filters, applied to the upstream request.
 */
public record RuleBlock(
    String id, PoolBlock pool, List<HeaderChange> headerChanges, UrlRewrite urlRewrite) {
  public RuleBlock {
    headerChanges = List.copyOf(headerChanges);
  }
}
