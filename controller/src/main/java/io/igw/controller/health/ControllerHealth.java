package io.igw.controller.health;

import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the controller's {@code /health} and {@code /ready} answer. Health: the process is up and no
 * reconcile has been running longer than {@link #STUCK_AFTER_MILLIS} (a wedged API call or {@code
 * nginx -t}). Ready: NGINX runs and has served a config that passed {@code nginx -t}; a later
 * rejected config does not make a replica unready, since its last good config still serves.
 * Thread-safe: reconciles run on their own thread, probes on the health server's.
 */
public final class ControllerHealth {
  public static final long STUCK_AFTER_MILLIS = 120_000;

  /** One answer: {@code ok} or the reason it is not. */
  public record Check(boolean ok, String reason) {}

  private final Clock clock;
  private final BooleanSupplier nginxRunning;
  private long runningSince = -1;
  private boolean everServed;
  private ReconcileResult last;

  public ControllerHealth(Clock clock, BooleanSupplier nginxRunning) {
    this.clock = clock;
    this.nginxRunning = nginxRunning;
  }

  /** Runs one reconcile and records how it went. */
  public ReconcileResult track(Supplier<ReconcileResult> reconcile) {
    synchronized (this) {
      runningSince = clock.millis();
    }
    ReconcileResult result = ReconcileResult.INTERRUPTED;
    try {
      result = reconcile.get();
      return result;
    } finally {
      synchronized (this) {
        runningSince = -1;
        last = result;
        everServed |= result.serving();
      }
    }
  }

  public synchronized Check health() {
    if (runningSince >= 0) {
      long running = clock.millis() - runningSince;
      if (running > STUCK_AFTER_MILLIS) {
        return new Check(false, "a reconcile has been running for " + running + " ms");
      }
    }
    return new Check(true, "ok");
  }

  public synchronized Check ready() {
    if (last == null) {
      return new Check(false, "no reconcile has finished yet");
    }
    if (!everServed) {
      return new Check(false, "no config has been applied yet (last reconcile: " + label() + ")");
    }
    if (!nginxRunning.getAsBoolean()) {
      return new Check(false, "nginx is not running");
    }
    return new Check(true, "ok");
  }

  private String label() {
    return last.name().toLowerCase(java.util.Locale.ROOT);
  }
}
