package io.igw.picker.testing;

import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.ServedModels;
import java.util.Set;

/** Endpoint states with given metrics, for plugin tests. */
public final class Endpoints {
  public static final PoolName POOL = new PoolName("default", "p");

  private Endpoints() {}

  public static EndpointState state(int index, long waiting, long running, double kv) {
    return state(
        index, new MetricsSnapshot(waiting, running, kv, Set.of(), Set.of(), 0, 16, 1000, 0, 0));
  }

  public static EndpointState state(int index, MetricsSnapshot metrics) {
    EndpointState state =
        new EndpointState(Endpoint.of(POOL, "pod-" + index, "127.0.10." + index, 8000, null));
    state.recordScrape(metrics, 0);
    return state;
  }

  public static EndpointState lora(
      int index, Set<String> running, Set<String> waiting, int maxLora) {
    return state(index, new MetricsSnapshot(0, 0, 0, running, waiting, maxLora, 16, 1000, 0, 0));
  }

  public static EndpointState withModels(
      EndpointState state, Set<String> ids, Set<String> adapters) {
    state.recordModels(new ServedModels(ids, adapters, java.util.List.of(), 0));
    return state;
  }
}
