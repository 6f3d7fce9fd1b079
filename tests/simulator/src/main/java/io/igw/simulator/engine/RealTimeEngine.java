package io.igw.simulator.engine;

import io.igw.simulator.kvevents.KvEventListener;
import io.vertx.core.Vertx;

/**
 * The virtual-time engine driven by the wall clock: simulated time is real time × the time scale,
 * and a Vert.x timer advances the engine to "now" whenever its current step ends. When steps are
 * shorter than a timer tick (a large time scale), one tick runs several steps and their tokens go
 * out together.
 */
public final class RealTimeEngine implements Engine {

  private final Vertx vertx;
  private final VirtualTimeEngine engine;
  private double timeScale;
  private long anchorNanos = System.nanoTime();
  private double anchorSimulated;
  private long timerId = -1;
  private double timerDue = Double.POSITIVE_INFINITY;
  private boolean closed;

  public RealTimeEngine(Vertx vertx, EngineConfig config, double timeScale) {
    this.vertx = vertx;
    this.engine = new VirtualTimeEngine(config);
    this.timeScale = timeScale;
  }

  @Override
  public SubmittedRequest submit(GenerationRequest request, GenerationListener listener) {
    double now = simulatedNow();
    RequestTrace trace = engine.submit(request, now, listener);
    armTimer();
    return () -> {
      trace.cancel();
      armTimer();
    };
  }

  @Override
  public EngineSnapshot snapshot() {
    return engine.snapshot();
  }

  public EngineConfig config() {
    return engine.config();
  }

  public void reconfigure(EngineConfig config) {
    engine.reconfigure(config);
  }

  public double timeScale() {
    return timeScale;
  }

  /** Changes the speed from now on without moving simulated time. */
  public void setTimeScale(double scale) {
    anchorSimulated = simulatedNow();
    anchorNanos = System.nanoTime();
    timeScale = scale;
    cancelTimer();
    armTimer();
  }

  public void resetPrefixCache() {
    engine.resetPrefixCache();
  }

  /**
   * Hands each step's KV-cache events to {@code listener} at once, stamped with the Unix time, as
   * vLLM does.
   */
  public void setKvEventListener(KvEventListener listener) {
    engine.setKvEventListener(
        listener == null
            ? null
            : batch -> listener.onBatch(batch.withTimestamp(System.currentTimeMillis() / 1000.0)),
        0);
  }

  @Override
  public void close() {
    closed = true;
    cancelTimer();
  }

  private double simulatedNow() {
    return anchorSimulated + (System.nanoTime() - anchorNanos) / 1e9 * timeScale;
  }

  private void armTimer() {
    double next = engine.nextEventTime();
    if (closed || Double.isInfinite(next) || next >= timerDue) {
      return;
    }
    cancelTimer();
    long delayMillis = Math.max(1, (long) Math.ceil((next - simulatedNow()) / timeScale * 1000.0));
    timerDue = next;
    timerId = vertx.setTimer(delayMillis, id -> onTimer());
  }

  private void onTimer() {
    timerId = -1;
    timerDue = Double.POSITIVE_INFINITY;
    if (closed) {
      return;
    }
    engine.advanceTo(simulatedNow());
    armTimer();
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    timerId = -1;
    timerDue = Double.POSITIVE_INFINITY;
  }
}
