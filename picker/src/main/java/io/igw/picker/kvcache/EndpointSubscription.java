package io.igw.picker.kvcache;

import io.igw.api.log.EventLine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * One endpoint's KV events: a SUB socket on its engine's PUB address and, when a replay is needed,
 * a DEALER on its replay address. Live batches are applied in sequence; a gap, or a first batch
 * that is not 0, asks the replay socket for the missing batches (held live batches wait meanwhile);
 * a sequence that goes back means the engine restarted: the endpoint's entries are cleared and its
 * batches replayed from 0. Replays are bounded by a cooldown per endpoint and by permits shared
 * over all endpoints; a gap no replay can cover is counted and accepted. Lives on its poller's
 * thread (ZMQ sockets are single-threaded).
 */
final class EndpointSubscription {
  private static final Logger LOG = Logger.getLogger(EndpointSubscription.class.getName());
  private static final byte[] EMPTY = new byte[0];

  /**
   * Messages read from one socket per poll round, so that one busy endpoint cannot starve the
   * others.
   */
  private static final int MAX_READS_PER_ROUND = 256;

  private static final long END_OF_REPLAY = -1;

  private final String endpoint;
  private final String eventsAddress;
  private final String replayAddress;
  private final ZContext context;
  private final KvEventIndex index;
  private final KvEventsOptions options;
  private final KvEventCounters counters;
  private final Semaphore replayPermits;
  private final LongSupplier clock;
  private final BatchSequence sequence = new BatchSequence();
  private final ArrayDeque<Message> held = new ArrayDeque<>();
  private ZMQ.Socket sub;
  private ZMQ.Socket dealer;
  private boolean socketsChanged;
  private Replay replay = Replay.NONE;
  private long replayFrom;
  private long replayDeadline;
  private long lastReplayAt = Long.MIN_VALUE;
  private boolean decodeErrorLogged;

  /**
   * The model named by the last live topic; replayed batches, which carry no topic, are the same
   * engine's.
   */
  private String model;

  private enum Replay {
    NONE,
    /** Asked for, waiting for a permit. */
    WAITING,
    /** Request sent, replies arriving. */
    RUNNING
  }

  /** One message: its topic, sequence number and payload. */
  private record Message(String topic, long seq, byte[] payload) {}

  /**
   * @param endpoint the endpoint's address in the datastore, which names it in the index
   * @param replayAddress null: no replay
   */
  EndpointSubscription(
      String endpoint,
      String eventsAddress,
      String replayAddress,
      ZContext context,
      KvEventIndex index,
      KvEventsOptions options,
      KvEventCounters counters,
      Semaphore replayPermits,
      LongSupplier clock) {
    this.endpoint = endpoint;
    this.eventsAddress = eventsAddress;
    this.replayAddress = replayAddress;
    this.context = context;
    this.index = index;
    this.options = options;
    this.counters = counters;
    this.replayPermits = replayPermits;
    this.clock = clock;
  }

  String endpoint() {
    return endpoint;
  }

  void open() {
    sub = context.createSocket(SocketType.SUB);
    sub.setLinger(0);
    sub.setHandshakeIvl(options.getHandshakeTimeoutMs());
    sub.setRcvHWM(options.getReceiveHwm());
    sub.setMaxMsgSize(options.getMaxMessageBytes());
    sub.subscribe(options.getTopicFilter().getBytes(StandardCharsets.UTF_8));
    sub.connect(eventsAddress);
    socketsChanged = true;
    LOG.info(
        EventLine.fields(
            "kv_events_subscribed",
            "endpoint",
            endpoint,
            "address",
            eventsAddress,
            "replay_address",
            String.valueOf(replayAddress),
            "topic_filter",
            options.getTopicFilter()));
  }

  /** Closes the sockets and forgets the endpoint's entries. */
  void close() {
    if (replay == Replay.RUNNING) {
      replayPermits.release();
    }
    replay = Replay.NONE;
    destroy(sub);
    destroy(dealer);
    sub = null;
    dealer = null;
    held.clear();
    index.removeEndpoint(endpoint);
    LOG.info(EventLine.fields("kv_events_unsubscribed", "endpoint", endpoint));
  }

  ZMQ.Socket sub() {
    return sub;
  }

  /** The replay socket, or null while there is none. */
  ZMQ.Socket dealer() {
    return dealer;
  }

  /**
   * Whether a socket appeared or went since the last call (the poller then registers them again).
   */
  boolean takeSocketsChanged() {
    boolean changed = socketsChanged;
    socketsChanged = false;
    return changed;
  }

  void readLive() {
    for (int i = 0; i < MAX_READS_PER_ROUND; i++) {
      ZMsg frames = ZMsg.recvMsg(sub, ZMQ.DONTWAIT);
      if (frames == null) {
        return;
      }
      Message message = message(frames, false);
      if (message == null) {
        continue;
      }
      model = modelOf(message.topic());
      if (replay != Replay.NONE) {
        hold(message);
      } else {
        onLive(message);
      }
    }
  }

  void readReplay() {
    for (int i = 0; i < MAX_READS_PER_ROUND && dealer != null; i++) {
      ZMsg frames = ZMsg.recvMsg(dealer, ZMQ.DONTWAIT);
      if (frames == null) {
        return;
      }
      Message message = message(frames, true);
      if (message == null || replay != Replay.RUNNING) {
        continue;
      }
      if (message.seq() == END_OF_REPLAY) {
        finishReplay(true);
      } else {
        onReplayed(message);
      }
    }
  }

  /** Starts a replay that waited for a permit, or abandons a replay past its deadline. */
  void tick() {
    long now = clock.getAsLong();
    if (replay == Replay.WAITING && replayPermits.tryAcquire()) {
      sendReplayRequest(now);
    } else if (replay != Replay.NONE && now >= replayDeadline) {
      LOG.warning(
          EventLine.fields(
              "kv_events_replay_failed",
              "endpoint",
              endpoint,
              "from_seq",
              replayFrom,
              "reason",
              replay == Replay.WAITING ? "no_permit" : "no_end_marker"));
      finishReplay(false);
    }
  }

  private void onLive(Message message) {
    switch (sequence.live(message.seq())) {
      case NEXT -> apply(message, true);
      case LATE_START -> replayOrAccept(message, 0, "late_start");
      case GAP -> {
        counters.gaps.increment();
        replayOrAccept(message, sequence.next(), "gap");
      }
      case RESTART -> {
        counters.restarts.increment();
        LOG.info(
            EventLine.fields(
                "kv_events_publisher_restarted",
                "endpoint",
                endpoint,
                "last_seq",
                sequence.last(),
                "seq",
                message.seq()));
        index.clear(endpoint);
        sequence.reset();
        onLive(message);
      }
      case STALE -> {}
    }
  }

  private void onReplayed(Message message) {
    switch (sequence.replayed(message.seq())) {
      case STALE -> {}
      case NEXT -> {
        counters.replayedBatches.increment();
        apply(message, false);
      }
      default -> {
        counters.lostBatches.add(message.seq() - sequence.next());
        counters.replayedBatches.increment();
        apply(message, false);
      }
    }
  }

  private void replayOrAccept(Message message, long from, String reason) {
    long now = clock.getAsLong();
    boolean cooledDown =
        lastReplayAt == Long.MIN_VALUE || now - lastReplayAt >= options.getReplayCooldownMs();
    if (replayAddress == null || !cooledDown) {
      counters.lostBatches.add(message.seq() - from);
      apply(message, true);
      return;
    }
    LOG.info(
        EventLine.fields(
            "kv_events_replay_requested",
            "endpoint",
            endpoint,
            "from_seq",
            from,
            "seq",
            message.seq(),
            "reason",
            reason));
    counters.replaysRequested.increment();
    replayFrom = from;
    lastReplayAt = now;
    replayDeadline = now + options.getReplayTimeoutMs();
    held.addLast(message);
    if (replayPermits.tryAcquire()) {
      sendReplayRequest(now);
    } else {
      replay = Replay.WAITING;
    }
  }

  private void sendReplayRequest(long now) {
    if (dealer == null) {
      dealer = context.createSocket(SocketType.DEALER);
      dealer.setLinger(0);
      dealer.setHandshakeIvl(options.getHandshakeTimeoutMs());
      dealer.setMaxMsgSize(options.getMaxMessageBytes());
      dealer.connect(replayAddress);
      socketsChanged = true;
    }
    dealer.send(EMPTY, ZMQ.SNDMORE | ZMQ.DONTWAIT);
    dealer.send(ByteBuffer.allocate(Long.BYTES).putLong(replayFrom).array(), ZMQ.DONTWAIT);
    replay = Replay.RUNNING;
    replayDeadline = now + options.getReplayTimeoutMs();
  }

  /**
   * Ends the replay, then applies the live batches held meanwhile (which may start the next
   * replay).
   */
  private void finishReplay(boolean completed) {
    if (replay == Replay.RUNNING) {
      replayPermits.release();
    }
    replay = Replay.NONE;
    if (completed) {
      counters.replaysCompleted.increment();
    } else {
      counters.replaysFailed.increment();
      // replies of an abandoned replay may still come: a new DEALER next time never sees them
      destroy(dealer);
      dealer = null;
      socketsChanged = true;
    }
    while (!held.isEmpty() && replay == Replay.NONE) {
      Message message = held.pollFirst();
      if (sequence.replayed(message.seq()) == BatchSequence.Verdict.STALE) {
        continue;
      }
      if (!completed && sequence.live(message.seq()) != BatchSequence.Verdict.NEXT) {
        counters.lostBatches.add(Math.max(0, message.seq() - sequence.next()));
        apply(message, true);
      } else {
        onLive(message);
      }
    }
  }

  private void hold(Message message) {
    if (held.size() >= options.getMaxHeldBatches()) {
      counters.droppedWhileReplaying.increment();
      return;
    }
    held.addLast(message);
  }

  private void apply(Message message, boolean live) {
    sequence.applied(message.seq());
    KvEventBatch batch;
    try {
      batch = KvEventDecoder.decode(message.payload());
    } catch (KvEventDecodeException e) {
      counters.decodeErrors.increment();
      if (!decodeErrorLogged) {
        decodeErrorLogged = true;
        LOG.warning(
            EventLine.fields(
                "kv_events_undecodable",
                "endpoint",
                endpoint,
                "seq",
                message.seq(),
                "error",
                EventLine.describe(e)));
      }
      return;
    }
    index.apply(endpoint, model, batch);
    counters.batches.increment();
    counters.events.add(batch.events().size());
    counters.skippedEvents.add(batch.skippedEvents());
    if (live) {
      counters.lastLagMillis.set(System.currentTimeMillis() - Math.round(batch.timestamp() * 1000));
    }
  }

  /**
   * The three frames of a live message or a replay reply ({@code ["", seq, payload]}), or null
   * (counted).
   */
  private Message message(ZMsg frames, boolean fromReplay) {
    try {
      if (frames.size() != 3) {
        counters.malformedFrames.increment();
        return null;
      }
      ZFrame first = frames.pop();
      ZFrame seq = frames.pop();
      ZFrame payload = frames.pop();
      if (seq.size() != Long.BYTES || (fromReplay && first.size() != 0)) {
        counters.malformedFrames.increment();
        return null;
      }
      String topic = fromReplay ? null : new String(first.getData(), StandardCharsets.UTF_8);
      return new Message(topic, ByteBuffer.wrap(seq.getData()).getLong(), payload.getData());
    } finally {
      frames.destroy();
    }
  }

  /** The model of a {@code kv@<pod>@<model>} topic, or null when the topic names none. */
  static String modelOf(String topic) {
    if (topic == null) {
      return null;
    }
    int first = topic.indexOf('@');
    int second = first < 0 ? -1 : topic.indexOf('@', first + 1);
    return second < 0 || second == topic.length() - 1 ? null : topic.substring(second + 1);
  }

  private void destroy(ZMQ.Socket socket) {
    if (socket != null) {
      context.destroySocket(socket);
    }
  }
}
