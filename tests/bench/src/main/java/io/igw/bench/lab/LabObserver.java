package io.igw.bench.lab;

import io.igw.simulator.engine.RequestTrace;

/**
 * What a run reports as it goes, for analyses beside the outcomes (the prefix audit). Called on the
 * run's thread.
 */
public interface LabObserver {
  LabObserver NONE = new LabObserver() {};

  /** The run's router, built over fresh servers, before the first request. */
  default void started(Router router, java.util.List<LabServer> servers) {}

  /** {@code request} went to {@code server}; its trace fills in as the engine serves it. */
  default void sent(LabRequest request, int server, RequestTrace trace) {}
}
