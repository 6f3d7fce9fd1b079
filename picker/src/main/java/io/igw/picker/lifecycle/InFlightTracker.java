package io.igw.picker.lifecycle;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.tenancy.TenantKey;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests in flight, by request id: started at pick time on the chosen endpoint, ended by the
 * completion feed or, when a completion is lost, by expiry after {@code expireAfterMillis}. A
 * second pick for the same id (a retry) ends the first. Thread-safe.
 */
public final class InFlightTracker {
  /**
   * What a pick started; pool, models, objective and tenant label the completion's metrics and
   * token accounting; tokens feed the token-load scorer.
   *
   * @param objective the InferenceObjective the request named, or null
   * @param tenant the request's tenant key ({@link TenantKey}), never null
   */
  public record InFlight(
      EndpointState endpoint,
      long startedAtMillis,
      String pool,
      String model,
      String targetModel,
      long promptTokens,
      String objective,
      String tenant) {
    public InFlight(
        EndpointState endpoint,
        long startedAtMillis,
        String pool,
        String model,
        String targetModel,
        long promptTokens) {
      this(
          endpoint,
          startedAtMillis,
          pool,
          model,
          targetModel,
          promptTokens,
          null,
          TenantKey.DEFAULT);
    }
  }

  /**
   * Request ids come from clients too: past this many requests in flight, new ones are not tracked.
   */
  public static final int MAX_TRACKED = 200_000;

  /** How often the picker ends expired requests ({@link #expire}). */
  public static final long SWEEP_INTERVAL_MILLIS = 1000;

  private final Map<String, InFlight> byRequestId = new ConcurrentHashMap<>();
  private final long expireAfterMillis;
  private final AtomicLong anonymous = new AtomicLong();

  public InFlightTracker(long expireAfterMillis) {
    this.expireAfterMillis = expireAfterMillis;
  }

  public void started(String requestId, InFlight request) {
    String id =
        requestId == null || requestId.isEmpty()
            ? "anonymous-" + anonymous.incrementAndGet()
            : requestId;
    if (byRequestId.size() >= MAX_TRACKED && !byRequestId.containsKey(id)) {
      return;
    }
    request.endpoint().startRequest(request.promptTokens());
    InFlight previous = byRequestId.put(id, request);
    if (previous != null) {
      previous.endpoint().endRequest(previous.promptTokens());
    }
  }

  /**
   * Ends the request; returns what was in flight, or null when unknown (already expired, or not
   * ours).
   */
  public InFlight completed(String requestId) {
    InFlight request = byRequestId.remove(requestId);
    if (request != null) {
      request.endpoint().endRequest(request.promptTokens());
    }
    return request;
  }

  /** Ends the requests started before {@code nowMillis − expireAfterMillis}; returns how many. */
  public int expire(long nowMillis) {
    int expired = 0;
    for (Iterator<Map.Entry<String, InFlight>> it = byRequestId.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, InFlight> entry = it.next();
      if (nowMillis - entry.getValue().startedAtMillis() >= expireAfterMillis
          && byRequestId.remove(entry.getKey(), entry.getValue())) {
        entry.getValue().endpoint().endRequest(entry.getValue().promptTokens());
        expired++;
      }
    }
    return expired;
  }

  public int size() {
    return byRequestId.size();
  }
}
