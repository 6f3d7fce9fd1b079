package io.igw.picker.ratelimit;

import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.PickService;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.CompletionFeed;
import io.igw.picker.lifecycle.InFlightTracker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token rate limits in front of the pick path: a pick goes on only when the {@link RateLimiter}
 * admits it, and its answer carries the {@code x-ratelimit-*} headers. What admission reserved is
 * kept by request id until the completion feed reports the request (then settled with the real
 * usage), given back when the pick fails after admission, and left charged (the estimate) when no
 * completion comes within {@code reservationTtlMillis} (the completion feed's in-flight expiry).
 * {@link #around} puts the same limits (one limiter, one set of reservations) in front of another
 * path: a bridged pool's foreign EPP.
 */
public final class RateLimitedPickService implements PickService, CompletionFeed.Listener {
  /** Request ids come from the gateway, but bound them anyway, as the in-flight tracker does. */
  public static final int MAX_TRACKED = InFlightTracker.MAX_TRACKED;

  private final PickService next;
  private final RateLimiter limiter;
  private final long reservationTtlMillis;
  private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
  private long sweepTimer = -1;
  private Vertx vertx;

  public RateLimitedPickService(PickService next, RateLimiter limiter, long reservationTtlMillis) {
    this.next = next;
    this.limiter = limiter;
    this.reservationTtlMillis = reservationTtlMillis;
  }

  /** Sweeps expired reservations once a second. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    sweepTimer = vertx.setPeriodic(1000, id -> expire(limiter.clockMillis()));
  }

  public void close() {
    if (vertx != null && sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
  }

  @Override
  public Future<PickResult> pick(PickRequest request) {
    return pick(next, request);
  }

  /**
   * {@code picks} behind these limits: admitted before it is asked, its answer with the headers,
   * its reservation settled by the completion feed like the in-process ones.
   */
  public PickService around(PickService picks) {
    return new PickService() {
      @Override
      public Future<PickResult> pick(PickRequest request) {
        return RateLimitedPickService.this.pick(picks, request);
      }

      @Override
      public void release(PickRequest request) {
        picks.release(request);
      }
    };
  }

  private Future<PickResult> pick(PickService picks, PickRequest request) {
    return limiter
        .admit(request)
        .compose(
            decision ->
                picks
                    .pick(request)
                    .transform(
                        ar -> {
                          if (ar.failed()) {
                            if (decision.reservation() != null) {
                              limiter.refund(decision.reservation());
                            }
                            return Future.failedFuture(ar.cause());
                          }
                          track(request.requestId(), decision.reservation());
                          PickResult result = ar.result();
                          return Future.succeededFuture(
                              decision.headers().isEmpty()
                                  ? result
                                  : result.withClientHeaders(decision.headers()));
                        }));
  }

  @Override
  public void release(PickRequest request) {
    next.release(request);
  }

  @Override
  public void onCompletion(Completion completion, InFlightTracker.InFlight request) {
    Reservation reservation = reservations.remove(completion.requestId());
    if (reservation != null) {
      limiter.settle(reservation, completion);
    }
  }

  /** Reservations waiting for their completion. */
  public int pending() {
    return reservations.size();
  }

  /** Drops reservations older than the TTL; their estimates stay charged. Returns how many. */
  int expire(long nowMillis) {
    int expired = 0;
    for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
      if (nowMillis - it.next().createdAtMillis() >= reservationTtlMillis) {
        it.remove();
        expired++;
      }
    }
    return expired;
  }

  private void track(String requestId, Reservation reservation) {
    if (reservation == null || requestId == null || requestId.isEmpty()) {
      return;
    }
    if (reservations.size() >= MAX_TRACKED && !reservations.containsKey(requestId)) {
      return;
    }
    Reservation previous = reservations.put(requestId, reservation);
    if (previous != null) {
      // the gateway asked again for the same request (a retried pick): the first never ran
      limiter.refund(previous);
    }
  }
}
