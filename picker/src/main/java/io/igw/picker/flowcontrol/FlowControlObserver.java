package io.igw.picker.flowcontrol;

import java.util.function.DoubleSupplier;

/**
 * What flow control reports (the picker's metrics). Called under a pool queue's lock: cheap, never
 * blocking.
 */
public interface FlowControlObserver {
  FlowControlObserver NONE =
      new FlowControlObserver() {
        @Override
        public void bandAppeared(
            String pool, int priority, DoubleSupplier queued, DoubleSupplier queuedBytes) {}

        @Override
        public void left(String pool, int priority, FlowOutcome outcome, long waitedMillis) {}
      };

  /**
   * A pool's band was used for the first time; the suppliers read its size (requests, bytes) when
   * asked.
   */
  void bandAppeared(String pool, int priority, DoubleSupplier queued, DoubleSupplier queuedBytes);

  /** A request left flow control after {@code waitedMillis}. */
  void left(String pool, int priority, FlowOutcome outcome, long waitedMillis);
}
