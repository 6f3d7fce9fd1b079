package io.igw.bench.lab;

/** A routing policy under test. Called in virtual-time order, on one thread. */
public interface Router {
  RoutingDecision route(LabRequest request, long nowMillis);

  /** The request sent to {@code server} has finished (its last token went out). */
  default void finished(int server) {}
}
