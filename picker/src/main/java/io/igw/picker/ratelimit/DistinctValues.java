package io.igw.picker.ratelimit;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The distinct values a {@code "*"} rule has buckets for, bounded: past {@code max} values seen
 * within the rule's longest window, a new value shares the bucket {@value #OTHER} (so hostile
 * clients sending a new tenant id per request cannot grow memory or Redis keys). A value unseen for
 * a whole window is forgotten: its bucket is full again anyway. Per picker: two replicas may
 * disagree on which values overflowed. Thread-safe.
 */
final class DistinctValues {
  static final String OTHER = "other";

  private final int max;
  private final long forgetAfterMillis;
  private final Map<String, Long> lastSeen = new HashMap<>();
  private long nextSweepMillis;

  DistinctValues(int max, long forgetAfterMillis) {
    this.max = max;
    this.forgetAfterMillis = forgetAfterMillis;
  }

  /** {@code value} when it has (or now gets) a bucket of its own, else {@value #OTHER}. */
  synchronized String admit(String value, long nowMillis) {
    if (lastSeen.containsKey(value)) {
      lastSeen.put(value, nowMillis);
      return value;
    }
    if (lastSeen.size() >= max && nowMillis >= nextSweepMillis) {
      forget(nowMillis);
    }
    if (lastSeen.size() >= max) {
      return OTHER;
    }
    lastSeen.put(value, nowMillis);
    return value;
  }

  synchronized int size() {
    return lastSeen.size();
  }

  /** At most once a second: an attack of new values must not make every admission a full scan. */
  private void forget(long nowMillis) {
    nextSweepMillis = nowMillis + 1000;
    for (Iterator<Long> it = lastSeen.values().iterator(); it.hasNext(); ) {
      if (nowMillis - it.next() >= forgetAfterMillis) {
        it.remove();
      }
    }
  }
}
