package io.igw.bench.lab;

import io.igw.bench.workload.WorkloadRequest;
import java.util.function.BiConsumer;

/** A routing policy under test. Called in virtual-time order, on one thread. */
public interface Router {
  RoutingDecision route(LabRequest request, long nowMillis);

  /**
   * The request sent to {@code server} has ended: its last token went out, or its client gave up on
   * it.
   */
  default void finished(int server, WorkloadRequest request, long nowMillis) {}

  /**
   * When the policy's own periodic work (metrics scrapes, dispatch, expiry) is next due; {@code
   * MAX_VALUE}: never.
   */
  default long nextTimerMillis() {
    return Long.MAX_VALUE;
  }

  /** Runs the periodic work due at {@code nowMillis}. */
  default void runTimers(long nowMillis) {}

  /** Hands over the held requests decided (dispatched, or expired) since the last call. */
  default void drain(BiConsumer<LabRequest, RoutingDecision> decided) {}

  /** Requests held in the policy's queue. */
  default int held() {
    return 0;
  }
}
