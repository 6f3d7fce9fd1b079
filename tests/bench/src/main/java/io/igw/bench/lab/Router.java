package io.igw.bench.lab;

import io.igw.bench.workload.WorkloadRequest;

/** A routing policy under test. Called in virtual-time order, on one thread. */
public interface Router {
  RoutingDecision route(LabRequest request, long nowMillis);

  /** The request sent to {@code server} has ended: its last token went out, or its client gave up on it. */
  default void finished(int server, WorkloadRequest request) {}

  /** Decides held requests that can be decided now (dispatched, or expired); called after each metrics scrape. */
  default void release(long nowMillis, java.util.function.BiConsumer<LabRequest, RoutingDecision> decided) {}

  /** Requests held in the policy's queue. */
  default int held() {
    return 0;
  }
}
