package io.igw.picker.core;

import io.vertx.core.Future;

/**
 * The pick path both frontends (HTTP pick API, ext_proc server) call: a request in, ordered
 * endpoints out, or a {@link PickFailure}. Implementations: the {@link Director} (in-process), flow
 * control in front of it, the bridge to a pool's foreign EPP, and the {@link PoolRouter} that
 * chooses between them by pool; {@link ObservedPickService} reports every outcome. The future
 * completes on the caller's context; nothing blocks it.
 */
public interface PickService {

  Future<PickResult> pick(PickRequest request);

  /**
   * The gateway is done with the request's pick: its client went away (the HTTP pick's connection
   * closed, the ext_proc stream ended or was reset), or its response began (ext_proc's response
   * phase). A pick still waiting is withdrawn (its future fails); one already made ends its
   * in-flight accounting. Safe to call more than once.
   */
  void release(PickRequest request);
}
