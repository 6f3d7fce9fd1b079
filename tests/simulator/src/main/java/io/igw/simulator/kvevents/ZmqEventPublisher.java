package io.igw.simulator.kvevents;

import io.igw.simulator.log.EventLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * vLLM's {@code ZmqEventPublisher}: batches are queued by the engine (never blocking it; beyond
 * {@code max_queue_size} they are dropped) and sent by one thread on a PUB socket as three frames
 * {@code [topic, seq as 8 bytes big-endian, msgpack payload]}, seq counting from 0 for this
 * publisher's life. The last {@code buffer_steps} payloads are kept for the replay ROUTER socket: a
 * request {@code [client, "", start_seq]} is answered with {@code [client, "", seq, payload]} for
 * every kept batch from {@code start_seq} on, then the end marker {@code [client, "", 0xFF×8, ""]}.
 * Both sockets live on the publisher thread.
 */
public final class ZmqEventPublisher implements AutoCloseable {

  static final byte[] END_OF_REPLAY = {-1, -1, -1, -1, -1, -1, -1, -1};
  private static final long POLL_MILLIS = 5;

  /**
   * ZMQ_HANDSHAKE_IVL of both sockets (libzmq: 30 s). JeroMQ now and then leaves a new connection
   * unread; dropping a handshake that has not finished in a second makes the subscriber dial again
   * instead of waiting half a minute.
   */
  private static final int HANDSHAKE_MILLIS = 1000;

  private final KvEventsConfig config;
  private final KvEventBatchEncoder encoder;
  private final byte[] topic;
  private final ZContext context = new ZContext(1);
  private final ZMQ.Socket pub;
  private final ZMQ.Socket replay;
  private final String endpoint;
  private final String replayEndpoint;
  private final BlockingQueue<KvEventBatch> queue;
  private final ArrayDeque<Sent> sent = new ArrayDeque<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong replaysServed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private long nextSeq;

  private record Sent(long seq, byte[] payload) {}

  private ZmqEventPublisher(
      KvEventsConfig config, KvEventEncoding encoding, String host, String name) {
    this.config = config;
    this.encoder = new KvEventBatchEncoder(encoding);
    this.topic = config.topic().getBytes(StandardCharsets.UTF_8);
    this.queue = new ArrayBlockingQueue<>(config.maxQueueSize());
    try {
      pub = context.createSocket(SocketType.PUB);
      pub.setSndHWM(config.hwm());
      pub.setLinger(0);
      pub.setHandshakeIvl(HANDSHAKE_MILLIS);
      endpoint =
          open(pub, localized(config.endpoint(), host), KvEventsConfig.binds(config.endpoint()));
      if (config.replayEndpoint() != null) {
        replay = context.createSocket(SocketType.ROUTER);
        replay.setLinger(0);
        replay.setHandshakeIvl(HANDSHAKE_MILLIS);
        replayEndpoint = open(replay, localized(config.replayEndpoint(), host), true);
      } else {
        replay = null;
        replayEndpoint = null;
      }
    } catch (RuntimeException e) {
      context.close();
      throw new IllegalArgumentException(
          "cannot open the KV events sockets ("
              + config.endpoint()
              + ", "
              + config.replayEndpoint()
              + "): "
              + e.getMessage(),
          e);
    }
    thread = new Thread(this::run, "kv-events-" + name);
    thread.setDaemon(true);
  }

  /** Opens the sockets (an error if an address cannot be bound) and starts the publisher thread. */
  public static ZmqEventPublisher start(
      KvEventsConfig config, KvEventEncoding encoding, String host, String name) {
    ZmqEventPublisher publisher = new ZmqEventPublisher(config, encoding, host, name);
    publisher.thread.start();
    EventLog.info(
        "kv_events_publishing",
        "name",
        name,
        "endpoint",
        publisher.endpoint,
        "replay_endpoint",
        String.valueOf(publisher.replayEndpoint),
        "topic",
        config.topic(),
        "encoding",
        encoding.cliName());
    return publisher;
  }

  /** Queues a batch; never blocks. Thread-safe. */
  public void publish(KvEventBatch batch) {
    if (running && !queue.offer(batch)) {
      dropped.incrementAndGet();
    }
  }

  /** The PUB socket's address, with the port it got when the configured one was {@code *}. */
  public String endpoint() {
    return endpoint;
  }

  /** The replay socket's address, or null without replay. */
  public String replayEndpoint() {
    return replayEndpoint;
  }

  public long published() {
    return published.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long replaysServed() {
    return replaysServed.get();
  }

  /** Stops the thread and closes the sockets; batches still queued are not sent. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      while (running) {
        KvEventBatch batch = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        for (; batch != null && running; batch = queue.poll()) {
          send(batch);
        }
        serveReplays();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      EventLog.warn(
          "kv_events_publisher_failed",
          "endpoint",
          endpoint,
          "error",
          String.valueOf(e.getMessage()));
    } finally {
      context.close();
    }
  }

  private void send(KvEventBatch batch) {
    long seq = nextSeq++;
    byte[] payload = encoder.encode(batch);
    pub.send(topic, ZMQ.SNDMORE | ZMQ.DONTWAIT);
    pub.send(seqBytes(seq), ZMQ.SNDMORE | ZMQ.DONTWAIT);
    pub.send(payload, ZMQ.DONTWAIT);
    published.incrementAndGet();
    if (config.bufferSteps() > 0) {
      if (sent.size() == config.bufferSteps()) {
        sent.removeFirst();
      }
      sent.addLast(new Sent(seq, payload));
    }
  }

  private void serveReplays() {
    if (replay == null) {
      return;
    }
    for (ZMsg request = ZMsg.recvMsg(replay, false);
        request != null;
        request = ZMsg.recvMsg(replay, false)) {
      try {
        answer(request);
      } finally {
        request.destroy();
      }
    }
  }

  private void answer(ZMsg request) {
    ZFrame[] frames = request.toArray(new ZFrame[0]);
    if (frames.length != 3 || frames[1].size() != 0 || frames[2].size() != Long.BYTES) {
      EventLog.warn(
          "kv_events_bad_replay_request", "endpoint", replayEndpoint, "frames", frames.length);
      return;
    }
    byte[] client = frames[0].getData();
    long start = ByteBuffer.wrap(frames[2].getData()).getLong();
    for (Sent batch : sent) {
      if (Long.compareUnsigned(batch.seq(), start) >= 0) {
        reply(client, seqBytes(batch.seq()), batch.payload());
      }
    }
    reply(client, END_OF_REPLAY, new byte[0]);
    replaysServed.incrementAndGet();
  }

  private void reply(byte[] client, byte[] seq, byte[] payload) {
    replay.send(client, ZMQ.SNDMORE | ZMQ.DONTWAIT);
    replay.send(new byte[0], ZMQ.SNDMORE | ZMQ.DONTWAIT);
    replay.send(seq, ZMQ.SNDMORE | ZMQ.DONTWAIT);
    replay.send(payload, ZMQ.DONTWAIT);
  }

  private static String open(ZMQ.Socket socket, String address, boolean bind) {
    if (!bind) {
      socket.connect(address);
      return address;
    }
    socket.bind(address);
    return socket.getLastEndpoint();
  }

  /**
   * A wildcard host becomes the server's own address, as {@code *} in a pod is the pod's address:
   * servers sharing a JVM (one per loopback address) then bind the same port side by side.
   */
  static String localized(String endpoint, String host) {
    String wildcard = "tcp://*:";
    boolean anyHost = host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    if (!endpoint.startsWith(wildcard) || anyHost) {
      return endpoint;
    }
    String address = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return "tcp://" + address + ":" + endpoint.substring(wildcard.length());
  }

  static byte[] seqBytes(long seq) {
    return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
  }
}
