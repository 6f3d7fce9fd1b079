package io.igw.picker.kvcache;

import io.igw.api.log.EventLine;
import io.igw.api.net.LoopbackOnly;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.zeromq.ZContext;

/**
 * The picker's subscriptions to its endpoints' KV events, feeding one {@link KvEventIndex}. Every
 * discovery interval (on a Vert.x timer; it only compares sets and queues commands) the endpoints
 * of the datastore are compared with the subscriptions: a new endpoint gets a SUB socket on {@code
 * tcp://<its IP>:<socketPort>} (replay on {@code replaySocketPort}), one that is gone loses its
 * sockets and its index entries. Sockets live on poller threads, one per {@code endpointsPerPoller}
 * endpoints; nothing here blocks an event loop or a pick.
 *
 * <pre>{@code
 * KvEventSubscriptions kv = KvEventSubscriptions.start(vertx, KvEventSubscriptions.endpointsOf(datastore),
 *     new KvEventsOptions());
 * int[] held = kv.index().matches(addresses, kv.index().keys().of(model, tokenIds));
 * }</pre>
 */
public final class KvEventSubscriptions {
  private static final Logger LOG = Logger.getLogger(KvEventSubscriptions.class.getName());

  private final Vertx vertx;
  private final Supplier<? extends Collection<Endpoint>> endpoints;
  private final KvEventIndex index;
  private final KvEventsOptions options;
  private final KvEventCounters counters = new KvEventCounters();
  private final Semaphore replayPermits;
  private final ZContext context = new ZContext(1);
  private final List<EventPoller> pollers = new CopyOnWriteArrayList<>();

  /** Discovery's view (its timer's context only): subscribed endpoint address → its poller. */
  private final Map<String, EventPoller> subscribed = new HashMap<>();

  private final Set<String> refused = new HashSet<>();
  private volatile int subscriptionCount;
  private final long timerId;
  private volatile boolean closed;

  private KvEventSubscriptions(
      Vertx vertx,
      Supplier<? extends Collection<Endpoint>> endpoints,
      KvEventIndex index,
      KvEventsOptions options) {
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.index = index;
    this.options = new KvEventsOptions(options);
    this.replayPermits = new Semaphore(options.getMaxConcurrentReplays());
    discover();
    this.timerId = vertx.setPeriodic(options.getDiscoveryIntervalMs(), id -> discover());
  }

  /** Subscribes to {@code endpoints}' events into a new index sized by {@code options}. */
  public static KvEventSubscriptions start(
      Vertx vertx, Supplier<? extends Collection<Endpoint>> endpoints, KvEventsOptions options) {
    return start(
        vertx,
        endpoints,
        new KvEventIndex(options.blockKeys(), options.getIndexBudgetEntries()),
        options);
  }

  /**
   * Subscribes to {@code endpoints}' events into {@code index} (whose keys the options' block size
   * should match).
   */
  public static KvEventSubscriptions start(
      Vertx vertx,
      Supplier<? extends Collection<Endpoint>> endpoints,
      KvEventIndex index,
      KvEventsOptions options) {
    return new KvEventSubscriptions(vertx, endpoints, index, options);
  }

  /** Every endpoint of every pool of {@code datastore} (an endpoint in several pools once). */
  public static Supplier<List<Endpoint>> endpointsOf(Datastore datastore) {
    return () -> datastore.endpoints().stream().map(EndpointState::endpoint).toList();
  }

  public KvEventIndex index() {
    return index;
  }

  public KvEventStats stats() {
    return counters.snapshot(subscriptionCount, index.stats());
  }

  /** Stops discovery, closes every socket and thread, forgets the endpoints' entries. */
  public Future<Void> close() {
    vertx.cancelTimer(timerId);
    closed = true;
    return vertx.executeBlocking(
        () -> {
          for (EventPoller poller : pollers) {
            poller.stop();
          }
          context.close();
          return null;
        });
  }

  private void discover() {
    if (closed) {
      return;
    }
    Map<String, Endpoint> current = new LinkedHashMap<>();
    for (Endpoint endpoint : endpoints.get()) {
      current.putIfAbsent(endpoint.address(), endpoint);
    }
    for (String gone : new ArrayList<>(subscribed.keySet())) {
      if (!current.containsKey(gone)) {
        subscribed.remove(gone).remove(gone);
      }
    }
    refused.retainAll(current.keySet());
    for (Endpoint endpoint : current.values()) {
      if (!subscribed.containsKey(endpoint.address()) && !refused.contains(endpoint.address())) {
        subscribe(endpoint);
      }
    }
    subscriptionCount = subscribed.size();
  }

  private void subscribe(Endpoint endpoint) {
    int replayPort = options.getReplaySocketPort();
    if (!LoopbackOnly.allows(endpoint.ip(), options.getSocketPort(), "kv-events subscription")
        || (replayPort > 0
            && !LoopbackOnly.allows(endpoint.ip(), replayPort, "kv-events replay"))) {
      refused.add(endpoint.address());
      counters.refusedEndpoints.increment();
      LOG.warning(EventLine.fields("kv_events_endpoint_refused", "endpoint", endpoint.address()));
      return;
    }
    String host = endpoint.ip().indexOf(':') >= 0 ? "[" + endpoint.ip() + "]" : endpoint.ip();
    String events = "tcp://" + host + ":" + options.getSocketPort();
    String replay = replayPort > 0 ? "tcp://" + host + ":" + replayPort : null;
    EventPoller poller = pollerWithRoom();
    poller.add(
        () ->
            new EndpointSubscription(
                endpoint.address(),
                events,
                replay,
                context,
                index,
                options,
                counters,
                replayPermits,
                System::currentTimeMillis));
    subscribed.put(endpoint.address(), poller);
  }

  private EventPoller pollerWithRoom() {
    for (EventPoller poller : pollers) {
      if (poller.assigned() < options.getEndpointsPerPoller()) {
        return poller;
      }
    }
    EventPoller poller = new EventPoller(context, index, "kv-events-poller-" + pollers.size());
    pollers.add(poller);
    poller.start();
    return poller;
  }
}
