package io.igw.picker.scheduling.plugins;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Blocks an endpoint is assumed to hold because a request carrying them was just sent there, before
 * its KV events can say so (llm-d's speculative indexing): per endpoint, block key → expiry.
 * Entries expire after the TTL whether or not events confirm them (confirmed blocks are in the
 * event index by then). Bounded: past {@code maxEntries} expired entries are purged, then the
 * endpoint's oldest. Thread-safe (one lock).
 */
final class SpeculativeBlocks {
  private final int maxEntries;
  private final Map<String, Map<Long, Long>> byEndpoint = new HashMap<>();
  private int size;

  SpeculativeBlocks(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** {@code endpoint} holds {@code keys} until {@code expiresAtMillis}. */
  synchronized void add(String endpoint, long[] keys, long expiresAtMillis, long nowMillis) {
    if (size + keys.length > maxEntries) {
      purge(nowMillis);
    }
    Map<Long, Long> held =
        byEndpoint.computeIfAbsent(endpoint, e -> new java.util.LinkedHashMap<>());
    for (long key : keys) {
      if (held.put(key, expiresAtMillis) == null) {
        size++;
      }
    }
    Iterator<Map.Entry<Long, Long>> oldest = held.entrySet().iterator();
    while (size > maxEntries && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
      size--;
    }
  }

  /** For each endpoint, how many leading {@code keys} it holds unexpired. */
  synchronized int[] matches(List<String> endpoints, long[] keys, long nowMillis) {
    int[] matched = new int[endpoints.size()];
    for (int i = 0; i < matched.length; i++) {
      Map<Long, Long> held = byEndpoint.get(endpoints.get(i));
      if (held == null) {
        continue;
      }
      int b = 0;
      while (b < keys.length && held.getOrDefault(keys[b], Long.MIN_VALUE) > nowMillis) {
        b++;
      }
      matched[i] = b;
    }
    return matched;
  }

  synchronized int size() {
    return size;
  }

  private void purge(long nowMillis) {
    for (Iterator<Map<Long, Long>> endpoints = byEndpoint.values().iterator();
        endpoints.hasNext(); ) {
      Map<Long, Long> held = endpoints.next();
      int before = held.size();
      held.values().removeIf(expiry -> expiry <= nowMillis);
      size -= before - held.size();
      if (held.isEmpty()) {
        endpoints.remove();
      }
    }
  }
}
