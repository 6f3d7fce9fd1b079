package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.metrics.MetricsSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The first policy: least queue. Candidates are ordered by waiting requests plus the picks the server has not
 * reported yet, then by running requests; equal endpoints are ordered at random so that they share the load.
 */
public final class LeastQueueScheduler {
  private final RandomGenerator random;

  public LeastQueueScheduler(RandomGenerator random) {
    this.random = random;
  }

  /** Up to {@code max} candidates, best first. */
  public List<EndpointState> order(List<EndpointState> candidates, int max) {
    int n = candidates.size();
    long[][] keys = new long[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      EndpointState state = candidates.get(i);
      MetricsSnapshot m = state.metrics();
      long waiting = m == null ? 0 : m.waiting();
      long running = m == null ? 0 : m.running();
      keys[i] = new long[] {waiting + state.pendingPicks(), running, random.nextLong()};
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compare(keys[a], keys[b]));
    List<EndpointState> out = new ArrayList<>(Math.min(max, n));
    for (int i = 0; i < n && i < max; i++) {
      out.add(candidates.get(order[i]));
    }
    return out;
  }
}
