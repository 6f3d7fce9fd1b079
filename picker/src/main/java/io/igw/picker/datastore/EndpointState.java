package io.igw.picker.datastore;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live state of one endpoint: the latest metrics and model list (immutable snapshots swapped
 * atomically), whether scrapes are failing, and the picks the server cannot have reported yet.
 * Thread-safe.
 *
 * <p>Picks are counted at pick time; a scrape that started after a pick reports it (as running or
 * waiting), so {@link #pendingPicks} counts only the picks made since the start of the last
 * successful scrape. That keeps bursts between two scrapes spread out without counting a request
 * twice. Two bounds keep a slow scrape from inflating the count: a pick older than {@code
 * pendingPickTtlMillis} has been seen by a scrape that started after it, or scrapes are failing and
 * staleness takes over; and a pick whose request has already ended (reported by the completion
 * feed) is in no queue, so pending picks never exceed the requests in flight.
 */
public final class EndpointState {
  /**
   * A scrape that starts after a pick ends within one interval plus one timeout (the defaults: 50 +
   * 1000 ms).
   */
  public static final long DEFAULT_PENDING_PICK_TTL_MS = 1050;

  /**
   * Pick times kept; more unreported picks than this all count while the oldest kept one is fresh.
   */
  private static final int PICK_TIMES = 128;

  private final Endpoint endpoint;
  private final long pendingPickTtlMillis;
  private volatile MetricsSnapshot metrics;
  private volatile ServedModels models;
  private volatile long failingSinceMillis = -1;
  private final AtomicLong picksIssued = new AtomicLong();
  private final AtomicLongArray pickTimes = new AtomicLongArray(PICK_TIMES);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong tokensInFlight = new AtomicLong();
  private volatile long picksSeenByServer;
  private volatile boolean scrapeOutcomeKnown;
  private volatile boolean modelsOutcomeKnown;

  public EndpointState(Endpoint endpoint) {
    this(endpoint, DEFAULT_PENDING_PICK_TTL_MS);
  }

  public EndpointState(Endpoint endpoint, long pendingPickTtlMillis) {
    this.endpoint = endpoint;
    this.pendingPickTtlMillis = pendingPickTtlMillis;
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
  public long queueEstimate(long nowMillis) {
    MetricsSnapshot m = metrics;
    return (m == null ? 0 : m.waiting()) + pendingPicks(nowMillis);
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

  public void recordPick(long nowMillis) {
    long sequence = picksIssued.getAndIncrement();
    pickTimes.set((int) (sequence % PICK_TIMES), nowMillis);
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

  /**
   * Picks since the start of the last successful scrape, younger than the TTL, at most the requests
   * in flight.
   */
  public long pendingPicks(long nowMillis) {
    long issued = picksIssued.get();
    long seen = picksSeenByServer;
    if (issued <= seen) {
      return 0;
    }
    long oldestKept = Math.max(seen, issued - PICK_TIMES);
    long firstFresh =
        oldestKept > seen && isFresh(oldestKept, nowMillis)
            ? seen
            : firstFresh(oldestKept, issued, nowMillis);
    return Math.min(issued - firstFresh, inFlight.get());
  }

  /**
   * The first pick in [from, to) made within the TTL (pick times rise with the sequence), or {@code
   * to}.
   */
  private long firstFresh(long from, long to, long nowMillis) {
    long lo = from;
    long hi = to;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (isFresh(mid, nowMillis)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private boolean isFresh(long sequence, long nowMillis) {
    return nowMillis - pickTimes.get((int) (sequence % PICK_TIMES)) < pendingPickTtlMillis;
  }

  /**
   * Records a successful scrape that started when {@link #picksIssued()} was {@code picksAtStart};
   * returns true when it ends a run of failures.
   */
  public boolean recordScrape(MetricsSnapshot snapshot, long picksAtStart) {
    metrics = snapshot;
    scrapeOutcomeKnown = true;
    picksSeenByServer = Math.max(picksSeenByServer, picksAtStart);
    boolean recovered = failingSinceMillis >= 0;
    failingSinceMillis = -1;
    return recovered;
  }

  /** Records a failed scrape; returns true when this starts a run of failures. */
  public boolean recordScrapeFailure(long nowMillis) {
    scrapeOutcomeKnown = true;
    if (failingSinceMillis < 0) {
      failingSinceMillis = nowMillis;
      return true;
    }
    return false;
  }

  public void recordModels(ServedModels served) {
    models = served;
    modelsOutcomeKnown = true;
  }

  /** A model-list poll failed: the list stays as it was (unknown at first: every model). */
  public void recordModelsFailure() {
    modelsOutcomeKnown = true;
  }

  /**
   * Whether the first scrape and the first model-list poll have ended (either way): the picker has
   * looked.
   */
  public boolean observed() {
    return scrapeOutcomeKnown && modelsOutcomeKnown;
  }
}
