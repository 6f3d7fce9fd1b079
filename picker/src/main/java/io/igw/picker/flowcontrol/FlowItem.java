package io.igw.picker.flowcontrol;

/**
 * One request offered to a {@link FlowController}: its priority, its size in bytes (the request
 * body) and what the caller needs back when it is dispatched or evicted. The controller sets the
 * queue fields; not thread-safe.
 */
public final class FlowItem<T> {
  private final T payload;
  private final int priority;
  private final long bytes;
  private PriorityBand<T> band;
  private long enqueuedAtMillis = -1;
  private long deadlineMillis = Long.MAX_VALUE;

  public FlowItem(T payload, int priority, long bytes) {
    this.payload = payload;
    this.priority = priority;
    this.bytes = Math.max(0, bytes);
  }

  public T payload() {
    return payload;
  }

  public int priority() {
    return priority;
  }

  public long bytes() {
    return bytes;
  }

  /** When it was queued; -1 when it never was. */
  public long enqueuedAtMillis() {
    return enqueuedAtMillis;
  }

  public long deadlineMillis() {
    return deadlineMillis;
  }

  public boolean isQueued() {
    return band != null;
  }

  PriorityBand<T> band() {
    return band;
  }

  void enqueued(PriorityBand<T> band, long nowMillis, long deadlineMillis) {
    this.band = band;
    this.enqueuedAtMillis = nowMillis;
    this.deadlineMillis = deadlineMillis;
  }

  void dequeued() {
    this.band = null;
  }
}
