package io.igw.picker.datastore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pools the picker serves and the live state of their endpoints. Updates replace whole pools;
 * an endpoint that stays (same pool, same address) keeps its state, one that goes is dropped.
 * Thread-safe.
 */
public final class Datastore {
  private final Map<PoolName, Pool> pools = new ConcurrentHashMap<>();
  private volatile Map<PoolName, PoolPolicies> policies = Map.of();
  private final long pendingPickTtlMillis;

  public Datastore() {
    this(EndpointState.DEFAULT_PENDING_PICK_TTL_MS);
  }

  /**
   * {@code pendingPickTtlMillis}: how long a pick counts as unreported at most (see {@link
   * EndpointState}).
   */
  public Datastore(long pendingPickTtlMillis) {
    this.pendingPickTtlMillis = pendingPickTtlMillis;
  }

  public Pool pool(PoolName name) {
    return pools.get(name);
  }

  /** Objectives, models and rewrites of a pool ({@link PoolPolicies#NONE} when it has none). */
  public PoolPolicies policies(PoolName name) {
    return policies.getOrDefault(name, PoolPolicies.NONE);
  }

  public void replacePolicies(Map<PoolName, PoolPolicies> byPool) {
    policies = Map.copyOf(byPool);
  }

  public List<Pool> pools() {
    return List.copyOf(pools.values());
  }

  /** Every endpoint state of every pool (for the collector). */
  public List<EndpointState> endpoints() {
    List<EndpointState> out = new ArrayList<>();
    for (Pool pool : pools.values()) {
      out.addAll(pool.endpoints());
    }
    return out;
  }

  /** Makes {@code definitions} the complete set of pools. */
  public synchronized void replaceAll(List<PoolDefinition> definitions) {
    Map<PoolName, PoolDefinition> byName = new HashMap<>();
    for (PoolDefinition d : definitions) {
      byName.put(d.name(), d);
    }
    pools.keySet().removeIf(name -> !byName.containsKey(name));
    byName.values().forEach(this::upsert);
  }

  /** Adds or replaces one pool, keeping the state of endpoints that remain. */
  public synchronized void upsert(PoolDefinition definition) {
    Pool previous = pools.get(definition.name());
    Map<String, EndpointState> existing = new HashMap<>();
    if (previous != null) {
      previous.endpoints().forEach(e -> existing.put(e.address(), e));
    }
    List<EndpointState> states = new ArrayList<>();
    for (Endpoint endpoint : definition.endpoints()) {
      EndpointState kept = existing.get(endpoint.address());
      states.add(
          kept != null && kept.endpoint().equals(endpoint)
              ? kept
              : new EndpointState(endpoint, pendingPickTtlMillis));
    }
    pools.put(definition.name(), new Pool(definition.name(), definition.spec(), states));
  }

  public synchronized void remove(PoolName name) {
    pools.remove(name);
  }
}
