package io.igw.simulator.engine;

import io.igw.simulator.kvevents.KvEvent;
import io.igw.simulator.kvevents.KvEventBatch;
import io.igw.simulator.kvevents.KvEventListener;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The engine on a clock that only moves when told to: a discrete-event model of one vLLM server.
 * Submit requests at their arrival times, advance the clock, and read each request's {@link
 * RequestTrace}; nothing sleeps and no socket is opened. Listeners run inside {@link #advanceTo}
 * and may submit or cancel requests.
 *
 * <pre>{@code
 * VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
 * RequestTrace a = engine.submit(request, 0.0);
 * engine.runUntilIdle();
 * double ttft = a.ttft();
 * }</pre>
 *
 * <p>With a {@link #setKvEventListener KV event listener}, each step that changed the prefix cache
 * produces one {@link KvEventBatch} (time-stamped with the virtual time of the step), delivered
 * after a delay of virtual time as a subscriber would receive it; a delivery is an event of the
 * clock like a step's end ({@link #nextEventTime}).
 */
public final class VirtualTimeEngine {

  private static final GenerationListener IGNORE =
      new GenerationListener() {
        @Override
        public void onToken(int index) {}

        @Override
        public void onFinished(GenerationResult result) {}
      };

  private final EngineCore core;
  private final boolean recordTokenTimes;
  private double now;
  private StepPlan currentStep;
  private double currentStepEnd = Double.POSITIVE_INFINITY;
  private boolean advancing;
  private long steps;
  private KvEventListener kvEventListener;
  private double kvEventDelaySeconds;

  /** Batches not yet delivered, in delivery order. */
  private final ArrayDeque<PendingBatch> kvEventsInFlight = new ArrayDeque<>();

  private record PendingBatch(double due, KvEventBatch batch) {}

  public VirtualTimeEngine(EngineConfig config) {
    this(config, false);
  }

  /**
   * @param recordTokenTimes keep every token's time in the traces (memory grows with output length)
   */
  public VirtualTimeEngine(EngineConfig config, boolean recordTokenTimes) {
    this.core = new EngineCore(config);
    this.recordTokenTimes = recordTokenTimes;
  }

  /** Current simulated time, seconds. */
  public double now() {
    return now;
  }

  public RequestTrace submit(GenerationRequest request, double arrivalTime) {
    return submit(request, arrivalTime, IGNORE);
  }

  /**
   * Queues a request arriving at {@code arrivalTime} (not before {@link #now()}); the clock first
   * advances to it. A request that cannot fit the KV cache at all is refused with
   * IllegalArgumentException.
   */
  public RequestTrace submit(
      GenerationRequest request, double arrivalTime, GenerationListener listener) {
    if (arrivalTime < now) {
      throw new IllegalArgumentException("arrival " + arrivalTime + " is before now " + now);
    }
    if (advancing && arrivalTime > now) {
      throw new IllegalStateException("a listener may only submit at now(), not at " + arrivalTime);
    }
    advanceTo(arrivalTime);
    RequestTrace trace =
        new RequestTrace(request.id(), arrivalTime, request.promptTokens(), recordTokenTimes);
    Sequence sequence = core.add(request, listener, trace);
    trace.canceller = () -> core.abort(sequence);
    if (!advancing && currentStep == null) {
      startStep();
      sendKvEvents();
    }
    return trace;
  }

  /**
   * Delivers this engine's KV-cache events to {@code listener}, each batch {@code delayMillis} of
   * virtual time after its step; null stops them. Listeners run inside {@link #advanceTo}.
   */
  public void setKvEventListener(KvEventListener listener, double delayMillis) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delay must be >= 0: " + delayMillis);
    }
    kvEventListener = listener;
    kvEventDelaySeconds = delayMillis / 1000.0;
    if (listener != null) {
      core.recordKvEvents();
    } else {
      kvEventsInFlight.clear();
    }
  }

  /**
   * Runs every step that ends, and delivers every KV event batch due, at or before {@code time};
   * then sets the clock.
   */
  public void advanceTo(double time) {
    if (advancing) {
      return;
    }
    advancing = true;
    try {
      while (true) {
        double due =
            kvEventsInFlight.isEmpty()
                ? Double.POSITIVE_INFINITY
                : kvEventsInFlight.peekFirst().due();
        if (due <= time && due <= currentStepEnd) {
          now = Math.max(now, due);
          kvEventListener.onBatch(kvEventsInFlight.removeFirst().batch());
        } else if (currentStep != null && currentStepEnd <= time) {
          now = currentStepEnd;
          StepPlan finished = currentStep;
          currentStep = null;
          core.completeStep(finished, now);
          startStep();
          sendKvEvents();
        } else {
          break;
        }
      }
      now = Math.max(now, time);
      if (currentStep == null) {
        startStep();
        sendKvEvents();
      }
    } finally {
      advancing = false;
    }
  }

  /** Runs until no request is left and every KV event batch is delivered; returns the time then. */
  public double runUntilIdle() {
    while (nextEventTime() < Double.POSITIVE_INFINITY) {
      advanceTo(nextEventTime());
    }
    return now;
  }

  /**
   * When the step in progress ends or the next KV event batch is due, or +∞ when there is neither.
   */
  public double nextEventTime() {
    double due =
        kvEventsInFlight.isEmpty() ? Double.POSITIVE_INFINITY : kvEventsInFlight.peekFirst().due();
    return Math.min(due, currentStep == null ? Double.POSITIVE_INFINITY : currentStepEnd);
  }

  public boolean idle() {
    return currentStep == null && !core.hasWork();
  }

  public EngineSnapshot snapshot() {
    return core.snapshot();
  }

  public EngineConfig config() {
    return core.config();
  }

  public void reconfigure(EngineConfig config) {
    core.reconfigure(config);
  }

  /** Cached blocks overwritten by new ones since start. */
  public long evictions() {
    return core.evictions();
  }

  public long loraLoads() {
    return core.loraLoads();
  }

  public long steps() {
    return steps;
  }

  public void resetPrefixCache() {
    core.resetPrefixCache();
    sendKvEvents();
  }

  /**
   * The events of the step just planned and the one just finished, as one batch, now or after the
   * delay.
   */
  private void sendKvEvents() {
    List<KvEvent> events = core.takeKvEvents();
    if (kvEventListener == null || events.isEmpty()) {
      return;
    }
    KvEventBatch batch = new KvEventBatch(now, events, 0);
    if (kvEventDelaySeconds == 0 && kvEventsInFlight.isEmpty()) {
      kvEventListener.onBatch(batch);
    } else {
      kvEventsInFlight.addLast(new PendingBatch(now + kvEventDelaySeconds, batch));
    }
  }

  private void startStep() {
    if (!core.hasWork()) {
      currentStep = null;
      currentStepEnd = Double.POSITIVE_INFINITY;
      return;
    }
    StepPlan plan = core.planStep(now);
    if (plan.isEmpty()) {
      currentStep = null;
      currentStepEnd = Double.POSITIVE_INFINITY;
      return;
    }
    steps++;
    currentStep = plan;
    currentStepEnd = now + plan.durationSeconds;
  }
}
