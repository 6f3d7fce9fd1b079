package io.igw.picker.kvcache;

import io.igw.api.log.EventLine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * One thread serving the sockets of up to {@code endpointsPerPoller} subscriptions: it polls them
 * (never the Vert.x event loops), applies what arrives to the index, times replays out, and
 * reclaims cleared endpoints' leftovers while idle. Subscriptions are added and removed through
 * commands, taken at the next round.
 */
final class EventPoller {
  private static final Logger LOG = Logger.getLogger(EventPoller.class.getName());
  static final long POLL_MILLIS = 50;

  private final ZContext context;
  private final KvEventIndex index;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();

  /** Poller thread only. */
  private final Map<String, EndpointSubscription> subscriptions = new LinkedHashMap<>();

  private final AtomicInteger assigned = new AtomicInteger();
  private volatile boolean running = true;

  /**
   * Wakes the thread when a socket has something (or after {@link #POLL_MILLIS}); null while there
   * is none.
   */
  private ZMQ.Poller poller;

  private boolean rebuild = true;

  EventPoller(ZContext context, KvEventIndex index, String name) {
    this.context = context;
    this.index = index;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Subscriptions assigned to this poller (added, not yet removed), as the discovery counts them.
   */
  int assigned() {
    return assigned.get();
  }

  void add(Supplier<EndpointSubscription> subscription) {
    assigned.incrementAndGet();
    commands.add(
        () -> {
          EndpointSubscription s = subscription.get();
          subscriptions.put(s.endpoint(), s);
          s.open();
          rebuild = true;
        });
  }

  void remove(String endpoint) {
    assigned.decrementAndGet();
    commands.add(
        () -> {
          EndpointSubscription s = subscriptions.remove(endpoint);
          if (s != null) {
            s.close();
            rebuild = true;
          }
        });
  }

  /** Stops the thread after its round and closes its sockets. */
  void stop() throws InterruptedException {
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(5));
  }

  private void run() {
    try {
      while (running) {
        for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
          command.run();
        }
        round();
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          EventLine.fields(
              "kv_events_poller_failed",
              "thread",
              thread.getName(),
              "error",
              EventLine.describe(e)),
          e);
    } finally {
      subscriptions.values().forEach(EndpointSubscription::close);
      subscriptions.clear();
      if (poller != null) {
        poller.close();
      }
    }
  }

  private void round() {
    for (EndpointSubscription s : subscriptions.values()) {
      rebuild |= s.takeSocketsChanged();
    }
    if (rebuild) {
      register();
    }
    if (poller == null) {
      sleep();
    } else {
      poller.poll(POLL_MILLIS);
    }
    // Every socket is read, ready or not: a ZMQ socket's readiness signal is edge-triggered, and
    // one consumed
    // elsewhere (a send, a connect) must not leave messages waiting for a wake-up that never comes.
    for (EndpointSubscription s : subscriptions.values()) {
      s.readLive();
      s.readReplay();
      s.tick();
    }
    index.sweep();
  }

  private void register() {
    if (poller != null) {
      poller.close();
      poller = null;
    }
    rebuild = false;
    if (subscriptions.isEmpty()) {
      return;
    }
    poller = context.createPoller(subscriptions.size() * 2);
    for (EndpointSubscription s : subscriptions.values()) {
      poller.register(s.sub(), ZMQ.Poller.POLLIN);
      if (s.dealer() != null) {
        poller.register(s.dealer(), ZMQ.Poller.POLLIN);
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
