package io.igw.picker.scheduling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One scheduling cycle: the request, the time, a random source, and a per-cycle state where a
 * plugin can keep what it computed for its pre-request hook (keyed by the plugin), and what the
 * cycle found that the picker's metrics report ({@link PrefixMatch}es). Not shared between threads.
 */
public final class SchedulingContext {
  private final SchedulingRequest request;
  private final long nowMillis;
  private final RandomGenerator random;
  private final ProducedData produced;
  private Map<Plugin, Object> state;
  private List<PrefixMatch> prefixMatches;

  public SchedulingContext(SchedulingRequest request, long nowMillis, RandomGenerator random) {
    this(request, nowMillis, random, null);
  }

  /** With what the {@link DataProducer}s found before the cycle (null: nothing). */
  public SchedulingContext(
      SchedulingRequest request, long nowMillis, RandomGenerator random, ProducedData produced) {
    this.request = request;
    this.nowMillis = nowMillis;
    this.random = random;
    this.produced = produced;
  }

  /**
   * What a data producer found of {@code type} before the cycle (the request's tokens), or null.
   */
  public <T> T produced(Class<T> type) {
    return produced == null ? null : produced.get(type);
  }

  public SchedulingRequest request() {
    return request;
  }

  public long nowMillis() {
    return nowMillis;
  }

  public RandomGenerator random() {
    return random;
  }

  public void put(Plugin owner, Object value) {
    if (state == null) {
      state = new HashMap<>(4);
    }
    state.put(owner, value);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Plugin owner) {
    return state == null ? null : (T) state.get(owner);
  }

  /** Called by prefix-cache plugins once the request is scheduled. */
  public void recordPrefixMatch(PrefixMatch match) {
    if (prefixMatches == null) {
      prefixMatches = new ArrayList<>(1);
    }
    prefixMatches.add(match);
  }

  public List<PrefixMatch> prefixMatches() {
    return prefixMatches == null ? List.of() : prefixMatches;
  }
}
