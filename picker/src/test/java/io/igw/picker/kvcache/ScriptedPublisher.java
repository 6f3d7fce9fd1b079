package io.igw.picker.kvcache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A KV event publisher a test scripts, on real sockets: a PUB that sends what the test says
 * (including batches it only pretends to send, to make gaps, and frames no engine would send) and,
 * when given a port, a ROUTER that answers replay requests from what was published, as vLLM's does
 * ({@code [client, "", seq, payload]} per batch from the asked seq on, then {@code [client, "",
 * 0xFF×8, ""]}).
 */
final class ScriptedPublisher implements AutoCloseable {
  private final ZContext context = new ZContext(1);
  private final ZMQ.Socket pub;
  private final byte[] topic;
  private final List<Long> seqs = new ArrayList<>();
  private final List<byte[]> payloads = new ArrayList<>();
  private final AtomicInteger replayRequests = new AtomicInteger();
  private final Thread replayThread;
  private volatile boolean running = true;

  ScriptedPublisher(String ip, int pubPort, int replayPort, String topic) {
    this.topic = topic.getBytes(StandardCharsets.UTF_8);
    pub = context.createSocket(SocketType.PUB);
    pub.setLinger(0);
    pub.setHandshakeIvl(300);
    pub.bind("tcp://" + ip + ":" + pubPort);
    if (replayPort > 0) {
      ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
      router.setLinger(0);
      router.setHandshakeIvl(300);
      router.bind("tcp://" + ip + ":" + replayPort);
      replayThread = new Thread(() -> serve(router), "scripted-replay");
      replayThread.setDaemon(true);
      replayThread.start();
    } else {
      replayThread = null;
    }
  }

  /** Sends a batch live and keeps it for replay. */
  void publish(long seq, byte[] payload) {
    keep(seq, payload);
    send(topic, seqBytes(seq), payload);
  }

  /** Keeps a batch for replay without sending it live: subscribers see a gap. */
  void drop(long seq, byte[] payload) {
    keep(seq, payload);
  }

  /** Sends these frames as one message, whatever they are. */
  void sendRaw(byte[]... frames) {
    send(frames);
  }

  byte[] topic() {
    return topic.clone();
  }

  int replayRequests() {
    return replayRequests.get();
  }

  static byte[] seqBytes(long seq) {
    return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (replayThread != null) {
      replayThread.join(5000);
    }
    context.close();
  }

  private synchronized void keep(long seq, byte[] payload) {
    seqs.add(seq);
    payloads.add(payload);
  }

  private void send(byte[]... frames) {
    for (int i = 0; i < frames.length; i++) {
      pub.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
    }
  }

  private void serve(ZMQ.Socket router) {
    router.setReceiveTimeOut(20);
    while (running) {
      ZMsg request = ZMsg.recvMsg(router);
      if (request == null) {
        continue;
      }
      replayRequests.incrementAndGet();
      ZFrame[] frames = request.toArray(new ZFrame[0]);
      byte[] client = frames[0].getData();
      long start = ByteBuffer.wrap(frames[2].getData()).getLong();
      List<Long> keptSeqs;
      List<byte[]> keptPayloads;
      synchronized (this) {
        keptSeqs = new ArrayList<>(seqs);
        keptPayloads = new ArrayList<>(payloads);
      }
      for (int i = 0; i < keptSeqs.size(); i++) {
        if (keptSeqs.get(i) >= start) {
          reply(router, client, seqBytes(keptSeqs.get(i)), keptPayloads.get(i));
        }
      }
      reply(router, client, seqBytes(-1), new byte[0]);
    }
  }

  private static void reply(ZMQ.Socket router, byte[] client, byte[] seq, byte[] payload) {
    router.send(client, ZMQ.SNDMORE);
    router.send(new byte[0], ZMQ.SNDMORE);
    router.send(seq, ZMQ.SNDMORE);
    router.send(payload, 0);
  }
}
