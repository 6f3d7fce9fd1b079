package io.igw.simulator.engine;

/**
 * The engine on a clock that only moves when told to: a discrete-event model of one vLLM server. Submit
 * requests at their arrival times, advance the clock, and read each request's {@link RequestTrace}; nothing
 * sleeps and no socket is opened. Listeners run inside {@link #advanceTo} and may submit or cancel requests.
 *
 * <pre>{@code
 * VirtualTimeEngine engine = new VirtualTimeEngine(EngineConfig.defaults());
 * RequestTrace a = engine.submit(request, 0.0);
 * engine.runUntilIdle();
 * double ttft = a.ttft();
 * }</pre>
 */
public final class VirtualTimeEngine {

  private static final GenerationListener IGNORE = new GenerationListener() {
    @Override
    public void onToken(int index) {
    }

    @Override
    public void onFinished(GenerationResult result) {
    }
  };

  private final EngineCore core;
  private final boolean recordTokenTimes;
  private double now;
  private StepPlan currentStep;
  private double currentStepEnd = Double.POSITIVE_INFINITY;
  private boolean advancing;
  private long steps;

  public VirtualTimeEngine(EngineConfig config) {
    this(config, false);
  }

  /** @param recordTokenTimes keep every token's time in the traces (memory grows with output length) */
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
   * Queues a request arriving at {@code arrivalTime} (not before {@link #now()}); the clock first advances
   * to it. A request that cannot fit the KV cache at all is refused with IllegalArgumentException.
   */
  public RequestTrace submit(GenerationRequest request, double arrivalTime, GenerationListener listener) {
    if (arrivalTime < now) {
      throw new IllegalArgumentException("arrival " + arrivalTime + " is before now " + now);
    }
    if (advancing && arrivalTime > now) {
      throw new IllegalStateException("a listener may only submit at now(), not at " + arrivalTime);
    }
    advanceTo(arrivalTime);
    RequestTrace trace = new RequestTrace(request.id(), arrivalTime, request.promptTokens(), recordTokenTimes);
    Sequence sequence = core.add(request, listener, trace);
    trace.canceller = () -> core.abort(sequence);
    if (!advancing && currentStep == null) {
      startStep();
    }
    return trace;
  }

  /** Runs every step that ends at or before {@code time}, then sets the clock to it. */
  public void advanceTo(double time) {
    if (advancing) {
      return;
    }
    advancing = true;
    try {
      while (currentStep != null && currentStepEnd <= time) {
        now = currentStepEnd;
        StepPlan finished = currentStep;
        currentStep = null;
        core.completeStep(finished, now);
        startStep();
      }
      now = Math.max(now, time);
      if (currentStep == null) {
        startStep();
      }
    } finally {
      advancing = false;
    }
  }

  /** Runs until no request is left; returns the time then. */
  public double runUntilIdle() {
    while (currentStep != null) {
      advanceTo(currentStepEnd);
    }
    return now;
  }

  /** When the step in progress ends, or +∞ when the engine is idle. */
  public double nextEventTime() {
    return currentStep == null ? Double.POSITIVE_INFINITY : currentStepEnd;
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
