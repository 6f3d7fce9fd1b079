package io.igw.picker.core;

import io.igw.picker.datastore.PoolName;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Chooses each pick's service by its pool: the pool's own when it has one (a pool whose EPP is
 * foreign: the bridge), else the in-process one.
 */
public final class PoolRouter implements PickService {
  private final PickService inProcess;
  private final Function<PoolName, PickService> poolService;

  /** {@code poolService}: the service of a pool not picked in-process, or null when it is. */
  public PoolRouter(PickService inProcess, Function<PoolName, PickService> poolService) {
    this.inProcess = inProcess;
    this.poolService = poolService;
  }

  /**
   * A pick for a bridged pool has its body checked here as the in-process pick checks it, so a body
   * the gateway cannot route by gets the same answer whichever picker the pool has.
   */
  @Override
  public Future<PickResult> pick(PickRequest request) {
    PickService service = serviceOf(request);
    if (service != inProcess) {
      try {
        request.body().check();
      } catch (PickFailure invalid) {
        return Future.failedFuture(invalid);
      }
    }
    return service.pick(request);
  }

  @Override
  public void release(PickRequest request) {
    serviceOf(request).release(request);
  }

  private PickService serviceOf(PickRequest request) {
    PickService own = poolService.apply(request.pool());
    return own == null ? inProcess : own;
  }
}
