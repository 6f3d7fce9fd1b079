package io.igw.picker.tokens;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent tokenizations by a 64-bit hash of what was tokenized, least recently used out first,
 * bounded both in entries and in token ids held. Thread-safe (one lock; a lookup is a hash probe).
 */
public final class TokenCache {
  private final int maxEntries;
  private final long maxTokens;
  private final LinkedHashMap<Long, int[]> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long tokens;

  public TokenCache(int maxEntries, long maxTokens) {
    this.maxEntries = maxEntries;
    this.maxTokens = maxTokens;
  }

  public synchronized int[] get(long key) {
    return entries.get(key);
  }

  /** Keeps {@code ids} under {@code key} unless they alone exceed the token bound. */
  public synchronized void put(long key, int[] ids) {
    if (ids.length > maxTokens || maxEntries == 0) {
      return;
    }
    int[] old = entries.put(key, ids);
    tokens += ids.length - (old == null ? 0 : old.length);
    Iterator<Map.Entry<Long, int[]>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || tokens > maxTokens) && eldest.hasNext()) {
      tokens -= eldest.next().getValue().length;
      eldest.remove();
    }
  }

  public synchronized int size() {
    return entries.size();
  }
}
