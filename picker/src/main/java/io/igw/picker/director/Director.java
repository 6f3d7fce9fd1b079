package io.igw.picker.director;

import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.Pool;
import io.igw.picker.pick.PickFailure;
import io.igw.picker.pick.PickRequest;
import io.igw.picker.pick.PickResult;
import io.igw.picker.scheduling.LeastQueueScheduler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a pick request into an ordered list of endpoints: pool lookup, live endpoints, those that serve the
 * model, then the scheduler. Failures are {@link PickFailure}s. Synchronous and non-blocking.
 */
public final class Director {
  private final Datastore datastore;
  private final LeastQueueScheduler scheduler;
  private final Clock clock;
  private final long staleAfterMillis;
  private final int maxEndpoints;

  public Director(Datastore datastore, LeastQueueScheduler scheduler, Clock clock, long staleAfterMillis,
      int maxEndpoints) {
    this.datastore = datastore;
    this.scheduler = scheduler;
    this.clock = clock;
    this.staleAfterMillis = staleAfterMillis;
    this.maxEndpoints = maxEndpoints;
  }

  public PickResult pick(PickRequest request) {
    Pool pool = datastore.pool(request.pool());
    if (pool == null) {
      throw PickFailure.poolNotFound(request.pool().toString());
    }
    List<EndpointState> live = liveEndpoints(pool);
    if (live.isEmpty()) {
      throw PickFailure.noReadyEndpoint(pool.name());
    }
    List<EndpointState> candidates = live;
    if (request.model() != null) {
      candidates = servingModel(live, request.model());
      if (candidates.isEmpty()) {
        throw PickFailure.modelNotFound(request.model(), pool.name());
      }
    }
    List<EndpointState> ordered = scheduler.order(candidates, maxEndpoints);
    ordered.get(0).recordPick();
    List<String> addresses = new ArrayList<>(ordered.size());
    for (EndpointState e : ordered) {
      addresses.add(e.address());
    }
    return new PickResult(addresses, request.model(), null);
  }

  private List<EndpointState> liveEndpoints(Pool pool) {
    long now = clock.millis();
    List<EndpointState> out = new ArrayList<>(pool.endpoints().size());
    for (EndpointState e : pool.endpoints()) {
      if (e.isLive(now, staleAfterMillis)) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<EndpointState> servingModel(List<EndpointState> endpoints, String model) {
    List<EndpointState> out = new ArrayList<>(endpoints.size());
    for (EndpointState e : endpoints) {
      if (e.mayServe(model)) {
        out.add(e);
      }
    }
    return out;
  }
}
