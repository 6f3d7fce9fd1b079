package io.igw.picker.flowcontrol;

import io.igw.api.log.LogText;
import io.igw.picker.core.Director;
import io.igw.picker.core.Director.PreparedPick;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.PickService;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.CompletionFeed;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.scheduling.config.FlowControlConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Flow control in front of the director, as a {@link PickService}: a pick is prepared (pool, body,
 * priority), offered to its pool's {@link FlowController}, and scheduled at once when admitted,
 * later when dispatched, or failed with 429 (band full) or 503 (TTL); {@link #release} takes a
 * waiting pick out of its queue. Dispatch runs every {@value #DISPATCH_INTERVAL_MILLIS} ms and on
 * each completion.
 *
 * <p>Threads: picks arrive on several event loops, dispatch on the timer's and the completion
 * feed's. Each pool's controller is guarded by its {@link PoolQueue}'s monitor; a dispatched pick
 * is scheduled under it (the director is thread-safe and never blocks: microseconds), so the next
 * saturation check sees its unreported pick. An admitted pick is scheduled on the caller's thread,
 * outside the lock. Results are delivered on the caller's context.
 */
public final class FlowControlledPickService implements PickService, CompletionFeed.Listener {
  public static final long DISPATCH_INTERVAL_MILLIS = 10;
  private static final Logger LOG = Logger.getLogger(FlowControlledPickService.class.getName());

  private final FlowControlConfig config;
  private final Director director;
  private final Clock clock;
  private final FlowControlObserver observer;
  private final Map<PoolName, PoolQueue> queues = new ConcurrentHashMap<>();
  private Vertx vertx;
  private long timer = -1;

  /**
   * One pool's controller, its waiting picks and the bands its metrics already know; its monitor
   * guards all.
   */
  private static final class PoolQueue {
    final PoolName pool;
    final FlowController<PendingPick> controller;
    final Map<PickRequest, PendingPick> waiting = new IdentityHashMap<>();
    final Set<Integer> bandsSeen = new HashSet<>();

    PoolQueue(PoolName pool, FlowController<PendingPick> controller) {
      this.pool = pool;
      this.controller = controller;
    }
  }

  public FlowControlledPickService(
      FlowControlConfig config, Director director, Clock clock, FlowControlObserver observer) {
    this.config = config;
    this.director = director;
    this.clock = clock;
    this.observer = observer;
  }

  public FlowControlConfig config() {
    return config;
  }

  /** Starts the periodic dispatch on {@code vertx}. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(DISPATCH_INTERVAL_MILLIS, id -> dispatchAll());
  }

  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * Prepares {@code request} and offers it; the size of its body counts against the band's byte
   * limit.
   */
  @Override
  public Future<PickResult> pick(PickRequest request) {
    PreparedPick prepared;
    try {
      prepared = director.prepare(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return director.produce(prepared).compose(withData -> offer(request, withData));
  }

  /** Offers a prepared pick (its data produced) to its pool's queue. */
  private Future<PickResult> offer(PickRequest request, PreparedPick prepared) {
    long now = clock.millis();
    PendingPick pending = new PendingPick(prepared, request.body().length(), now);
    PoolQueue queue = queue(prepared.pool().name());
    FlowController.Offer offer;
    synchronized (queue) {
      seen(queue, prepared.priority());
      offer = queue.controller.offer(pending.item(), now);
      if (offer == FlowController.Offer.REFUSED) {
        observer.left(queue.pool.toString(), prepared.priority(), FlowOutcome.REJECTED_CAPACITY, 0);
      } else if (offer == FlowController.Offer.ADMITTED) {
        observer.left(queue.pool.toString(), prepared.priority(), FlowOutcome.DISPATCHED, 0);
      } else {
        queue.waiting.put(request, pending);
      }
    }
    switch (offer) {
      case ADMITTED -> schedule(pending);
      case REFUSED -> {
        log("flow_control_refused", pending, "band_full");
        pending.fail(PickFailure.queueFull(queue.pool, prepared.priority()));
      }
      case QUEUED -> {
        log("flow_control_queued", pending, null);
        dispatch(queue);
      }
    }
    return pending.result();
  }

  /**
   * A pick still waiting leaves its queue (its future fails); one already made is released by the
   * director.
   */
  @Override
  public void release(PickRequest request) {
    PoolQueue queue = queues.get(request.pool());
    PendingPick pending;
    if (queue == null) {
      pending = null;
    } else {
      synchronized (queue) {
        pending = queue.waiting.get(request);
      }
    }
    if (pending != null) {
      leave(queue, pending);
    } else {
      director.release(request);
    }
  }

  /** Expires and dispatches every pool's waiting picks. */
  public void dispatchAll() {
    for (PoolQueue queue : queues.values()) {
      dispatch(queue);
    }
  }

  /** A request ended: its pool may have room now. */
  @Override
  public void onCompletion(Completion completion, InFlightTracker.InFlight request) {
    dispatchAll();
  }

  /** Picks waiting in {@code pool}'s queue (tests, operators). */
  public int queued(PoolName pool) {
    PoolQueue queue = queues.get(pool);
    if (queue == null) {
      return 0;
    }
    synchronized (queue) {
      return queue.controller.queued();
    }
  }

  private void leave(PoolQueue queue, PendingPick pending) {
    boolean removed;
    synchronized (queue) {
      removed = queue.controller.remove(pending.item());
      queue.waiting.remove(pending.prepared().request());
      if (removed) {
        observer.left(
            queue.pool.toString(),
            pending.item().priority(),
            FlowOutcome.EVICTED_CONTEXT_CANCELLED,
            clock.millis() - pending.offeredAtMillis());
      }
    }
    if (removed) {
      log("flow_control_client_gone", pending, null);
      pending.fail(PickFailure.clientGone(queue.pool));
    }
  }

  private void dispatch(PoolQueue queue) {
    synchronized (queue) {
      if (queue.controller.queued() == 0) {
        return;
      }
      long now = clock.millis();
      queue.controller.expire(
          now,
          item -> {
            PendingPick pending = item.payload();
            queue.waiting.remove(pending.prepared().request());
            long waited = now - pending.offeredAtMillis();
            observer.left(queue.pool.toString(), item.priority(), FlowOutcome.EVICTED_TTL, waited);
            log("flow_control_expired", pending, null);
            pending.fail(PickFailure.queueTimeout(queue.pool, waited));
          });
      queue.controller.dispatchReady(
          now,
          item -> {
            queue.waiting.remove(item.payload().prepared().request());
            observer.left(
                queue.pool.toString(),
                item.priority(),
                FlowOutcome.DISPATCHED,
                now - item.payload().offeredAtMillis());
            log("flow_control_dispatched", item.payload(), null);
            schedule(item.payload());
          });
    }
  }

  private void schedule(PendingPick pending) {
    try {
      PickResult result = director.schedule(pending.prepared(), false);
      pending.succeed(result);
    } catch (PickFailure failure) {
      pending.fail(failure);
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "event=flow_control_dispatch_failed request_id="
              + LogText.value(pending.prepared().request().requestId()),
          e);
      pending.fail(PickFailure.internal("internal error"));
    }
  }

  private PoolQueue queue(PoolName pool) {
    return queues.computeIfAbsent(
        pool,
        name ->
            new PoolQueue(name, new FlowController<>(config, () -> director.isSaturated(name))));
  }

  private void seen(PoolQueue queue, int priority) {
    if (queue.bandsSeen.add(priority)) {
      observer.bandAppeared(
          queue.pool.toString(),
          priority,
          () -> {
            synchronized (queue) {
              return queue.controller.queued(priority);
            }
          },
          () -> {
            synchronized (queue) {
              return queue.controller.queuedBytes(priority);
            }
          });
    }
  }

  private static void log(String event, PendingPick pending, String reason) {
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(
          "event="
              + event
              + " pool="
              + pending.prepared().pool().name()
              + " priority="
              + pending.item().priority()
              + " request_id="
              + LogText.value(pending.prepared().request().requestId())
              + (reason == null ? "" : " reason=" + LogText.value(reason)));
    }
  }
}
