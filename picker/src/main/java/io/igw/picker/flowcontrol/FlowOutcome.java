package io.igw.picker.flowcontrol;

/**
 * How a request left flow control; {@link #label()} is the reference's {@code outcome} metric
 * label.
 */
public enum FlowOutcome {
  DISPATCHED("Dispatched"),
  REJECTED_CAPACITY("RejectedCapacity"),
  EVICTED_TTL("EvictedTTL"),
  EVICTED_CONTEXT_CANCELLED("EvictedContextCancelled");

  private final String label;

  FlowOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
