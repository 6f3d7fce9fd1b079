package io.igw.controller.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a request must also carry, beyond its path, for a rule to serve it: the method (null: any),
 * and exact header and query-parameter values. njs checks them; an empty set always holds.
 */
public record MatchConditions(
    String method, Map<String, String> headers, Map<String, String> query) {
  public MatchConditions {
    // sorted, so the rendered config is the same on every run (the graph's maps have no stable
    // order)
    headers = Collections.unmodifiableSortedMap(new TreeMap<>(headers));
    query = Collections.unmodifiableSortedMap(new TreeMap<>(query));
  }

  public boolean isEmpty() {
    return method == null && headers.isEmpty() && query.isEmpty();
  }
}
