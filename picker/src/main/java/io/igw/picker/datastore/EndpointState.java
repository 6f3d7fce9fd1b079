package io.igw.picker.datastore;

import io.igw.picker.metrics.MetricsSnapshot;
import io.igw.picker.metrics.ServedModels;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live state of one endpoint: the latest metrics and model list (immutable snapshots swapped atomically),
 * whether scrapes are failing, and the picks the server cannot have reported yet. Thread-safe.
 *
 * <p>Picks are counted at pick time; a scrape that started after a pick reports it (as running or waiting),
 * so {@link #pendingPicks()} counts only the picks made since the start of the last successful scrape.
 * That keeps bursts between two scrapes spread out without counting a request twice.
 */
public final class EndpointState {
  private final Endpoint endpoint;
  private volatile MetricsSnapshot metrics;
  private volatile ServedModels models;
  private volatile long failingSinceMillis = -1;
  private final AtomicLong picksIssued = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicLong tokensInFlight = new AtomicLong();
  private volatile long picksSeenByServer;

  public EndpointState(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public String address() {
    return endpoint.address();
  }

  /** Latest metrics, or null before the first successful scrape. */
  public MetricsSnapshot metrics() {
    return metrics;
  }

  /** Latest model list, or null while unknown (then the endpoint is taken to serve every model). */
  public ServedModels models() {
    return models;
  }

  /** Waiting requests from the last scrape plus the picks it could not have seen. */
  public long queueEstimate() {
    MetricsSnapshot m = metrics;
    return (m == null ? 0 : m.waiting()) + pendingPicks();
  }

  /** Running requests from the last scrape (0 before the first). */
  public long running() {
    MetricsSnapshot m = metrics;
    return m == null ? 0 : m.running();
  }

  /** KV-cache use from the last scrape, 0..1 (0 before the first). */
  public double kvCacheUsage() {
    MetricsSnapshot m = metrics;
    return m == null ? 0 : m.kvCacheUsage();
  }

  /** True when the endpoint is known to serve {@code model} or its model list is unknown. */
  public boolean mayServe(String model) {
    ServedModels known = models;
    if (known == null || known.serves(model)) {
      return true;
    }
    MetricsSnapshot m = metrics;
    return m != null && m.hasAdapter(model);
  }

  /** False once scrapes have failed for longer than {@code staleAfterMillis}. */
  public boolean isLive(long nowMillis, long staleAfterMillis) {
    long since = failingSinceMillis;
    return since < 0 || nowMillis - since < staleAfterMillis;
  }

  /** The pick counter to hand back to {@link #recordScrape} when that scrape succeeds. */
  public long picksIssued() {
    return picksIssued.get();
  }

  public void recordPick() {
    picksIssued.incrementAndGet();
  }

  /** Requests sent here and not yet reported complete (or expired). */
  public int inFlight() {
    return inFlight.get();
  }

  /** Prompt tokens (estimated) of the requests in flight: the load a new prefill waits behind. */
  public long tokensInFlight() {
    return tokensInFlight.get();
  }

  public void startRequest(long promptTokens) {
    inFlight.incrementAndGet();
    tokensInFlight.addAndGet(promptTokens);
  }

  public void endRequest(long promptTokens) {
    inFlight.updateAndGet(n -> n > 0 ? n - 1 : 0);
    tokensInFlight.updateAndGet(t -> Math.max(0, t - promptTokens));
  }

  public long pendingPicks() {
    return Math.max(0, picksIssued.get() - picksSeenByServer);
  }

  /**
   * Records a successful scrape that started when {@link #picksIssued()} was {@code picksAtStart}; returns true
   * when it ends a run of failures.
   */
  public boolean recordScrape(MetricsSnapshot snapshot, long picksAtStart) {
    metrics = snapshot;
    picksSeenByServer = Math.max(picksSeenByServer, picksAtStart);
    boolean recovered = failingSinceMillis >= 0;
    failingSinceMillis = -1;
    return recovered;
  }

  /** Records a failed scrape; returns true when this starts a run of failures. */
  public boolean recordScrapeFailure(long nowMillis) {
    if (failingSinceMillis < 0) {
      failingSinceMillis = nowMillis;
      return true;
    }
    return false;
  }

  public void recordModels(ServedModels served) {
    models = served;
  }
}
