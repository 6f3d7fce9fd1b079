package io.igw.simulator.kvevents;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.net.LoopbackOnly;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.engine.BlockHashes;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A simulated server's KV events read the way llm-d reads vLLM's: a SUB socket on the PUB endpoint
 * and a DEALER on the replay endpoint, real sockets on 127.0.0.1, requests over HTTP.
 */
@ExtendWith(VertxExtension.class)
class KvEventsOverZmqTest {

  private static final String TOPIC = "kv@127.0.0.1@sim-model";
  private static final int BLOCK = 16;

  private Vertx vertx;
  private WebClient http;
  private SimulatorServer server;
  private final ZContext zmq = new ZContext(1);

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    http = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    http.close();
    if (server != null) {
      join(server.close());
    }
    zmq.close();
  }

  @ParameterizedTest
  @EnumSource(KvEventEncoding.class)
  void liveFramesAreTopicSeqAndAMsgpackBatch(KvEventEncoding encoding) throws Exception {
    start(encoding, 0);
    ZMQ.Socket sub = connect(SocketType.SUB, server.kvEventsEndpoint());
    sub.subscribe("kv@".getBytes(StandardCharsets.UTF_8));
    sub.setReceiveTimeOut(200);

    ZMsg first = null;
    for (int attempt = 0; attempt < 50 && first == null; attempt++) {
      complete(prompt(attempt, 3 * BLOCK + 1));
      first = ZMsg.recvMsg(sub);
    }
    assertThat(first).as("a live batch within 50 requests").isNotNull();
    ZMsg second = null;
    for (int attempt = 50; attempt < 100 && second == null; attempt++) {
      complete(prompt(attempt, 3 * BLOCK + 1));
      second = ZMsg.recvMsg(sub);
    }

    for (ZMsg message : List.of(first, second)) {
      assertThat(message.size()).isEqualTo(3);
      assertThat(message.getFirst().getString(StandardCharsets.UTF_8)).isEqualTo(TOPIC);
      assertThat(frame(message, 1)).hasSize(8);
      List<Value> batch = unpack(frame(message, 2)).asArrayValue().list();
      assertThat(batch).hasSize(3);
      assertThat(batch.get(0).isFloatValue()).isTrue();
      assertThat(batch.get(0).asFloatValue().toDouble())
          .isCloseTo(
              System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
      assertThat(batch.get(2).asIntegerValue().asInt()).isZero();
      assertThat(type(batch.get(1).asArrayValue().get(0), encoding)).isEqualTo("BlockStored");
    }
    assertThat(seq(second)).isGreaterThan(seq(first));
  }

  @ParameterizedTest
  @EnumSource(KvEventEncoding.class)
  void replayGivesEveryBatchFromSeqZeroThenTheEndMarker(KvEventEncoding encoding) throws Exception {
    start(encoding, 24);
    for (int i = 0; i < 6; i++) {
      complete(prompt(i, 6 * BLOCK + 3));
    }
    join(
        http.post(server.port(), "127.0.0.1", "/admin/config")
            .sendJsonObject(new JsonObject().put("resetPrefixCache", true)));

    List<ZMsg> replies = replay(0);
    ZMsg end = replies.remove(replies.size() - 1);
    assertThat(frame(end, 1)).containsOnly((byte) 0xFF).hasSize(8);
    assertThat(frame(end, 2)).isEmpty();
    List<Long> seqs = replies.stream().map(KvEventsOverZmqTest::seq).toList();
    assertThat(seqs.get(0)).isZero();
    for (int i = 1; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
    }
    List<Value> events = new ArrayList<>();
    for (ZMsg reply : replies) {
      events.addAll(unpack(frame(reply, 2)).asArrayValue().get(1).asArrayValue().list());
    }
    List<String> types = events.stream().map(e -> type(e, encoding)).distinct().toList();
    assertThat(types).containsExactly("BlockStored", "BlockRemoved", "AllBlocksCleared");
    assertStoredHashesAreVllmsChainAsUnsigned(events, encoding);

    List<ZMsg> fromLater = replay(seqs.get(2));
    assertThat(fromLater).hasSize(replies.size() - 2 + 1);
    assertThat(seq(fromLater.get(0))).isEqualTo(seqs.get(2));
  }

  /**
   * Block hashes of a sequence's first blocks are the engine's chain, sent as unsigned 64-bit
   * integers.
   */
  private static void assertStoredHashesAreVllmsChainAsUnsigned(
      List<Value> events, KvEventEncoding encoding) {
    boolean sawHighHash = false;
    for (Value event : events) {
      if (!type(event, encoding).equals("BlockStored")) {
        continue;
      }
      Value parent = field(event, encoding, "parent_block_hash", 2);
      List<Value> hashes = field(event, encoding, "block_hashes", 1).asArrayValue().list();
      int[] tokens =
          field(event, encoding, "token_ids", 3).asArrayValue().list().stream()
              .mapToInt(v -> v.asIntegerValue().asInt())
              .toArray();
      assertThat(field(event, encoding, "block_size", 4).asIntegerValue().asInt()).isEqualTo(BLOCK);
      assertThat(tokens).hasSize(hashes.size() * BLOCK);
      long[] sent = new long[hashes.size()];
      for (int i = 0; i < sent.length; i++) {
        java.math.BigInteger value = hashes.get(i).asIntegerValue().asBigInteger();
        assertThat(value.signum()).isPositive();
        sawHighHash |= value.bitLength() == 64;
        sent[i] = value.longValue();
      }
      if (parent.isNilValue()) {
        assertThat(sent).containsExactly(BlockHashes.of(null, tokens, BLOCK));
      }
    }
    assertThat(sawHighHash).as("some hash of 2^63 or more").isTrue();
  }

  private void start(KvEventEncoding encoding, int numGpuBlocks) throws Exception {
    JsonObject config =
        new JsonObject()
            .put("enable_kv_cache_events", true)
            .put("publisher", "zmq")
            .put("endpoint", "tcp://127.0.0.1:*")
            .put("replay_endpoint", "tcp://127.0.0.1:*")
            .put("topic", TOPIC);
    SimulatorOptions options =
        new SimulatorOptions()
            .setModel("sim-model")
            .setTimeScale(50)
            .setKvEventsConfig(config)
            .setKvEventsEncoding(encoding.cliName());
    if (numGpuBlocks > 0) {
      options.setNumGpuBlocks(numGpuBlocks);
    }
    server = join(SimulatorServer.start(vertx, options));
  }

  private void complete(int[] prompt) throws Exception {
    JsonObject body =
        new JsonObject()
            .put("model", "sim-model")
            .put("max_tokens", 2)
            .put(
                "prompt",
                new JsonArray(Arrays.stream(prompt).boxed().collect(Collectors.toList())));
    assertThat(
            join(http.post(server.port(), "127.0.0.1", "/v1/completions").sendJsonObject(body))
                .statusCode())
        .isEqualTo(200);
  }

  private List<ZMsg> replay(long fromSeq) {
    ZMQ.Socket dealer = connect(SocketType.DEALER, server.kvEventsReplayEndpoint());
    dealer.setReceiveTimeOut(5000);
    dealer.send(new byte[0], ZMQ.SNDMORE);
    dealer.send(ByteBuffer.allocate(8).putLong(fromSeq).array());
    List<ZMsg> replies = new ArrayList<>();
    while (true) {
      ZMsg reply = ZMsg.recvMsg(dealer);
      assertThat(reply).as("replay reply").isNotNull();
      assertThat(reply.size()).isEqualTo(3);
      assertThat(frame(reply, 0)).isEmpty();
      replies.add(reply);
      if (seq(reply) == -1) {
        zmq.destroySocket(dealer);
        return replies;
      }
    }
  }

  private ZMQ.Socket connect(SocketType type, String endpoint) {
    URI address = URI.create(endpoint);
    assertThat(LoopbackOnly.allows(address.getHost(), address.getPort(), "kv-events test"))
        .isTrue();
    ZMQ.Socket socket = zmq.createSocket(type);
    socket.setLinger(0);
    // JeroMQ now and then leaves a new connection's handshake unread: drop it and dial again
    socket.setHandshakeIvl(300);
    socket.connect(endpoint);
    return socket;
  }

  private static int[] prompt(long seed, int tokens) {
    SplittableRandom random = new SplittableRandom(seed);
    return random.ints(tokens, 0, 100_000).toArray();
  }

  private static byte[] frame(ZMsg message, int index) {
    return message.stream().skip(index).findFirst().map(ZFrame::getData).orElseThrow();
  }

  private static long seq(ZMsg message) {
    return ByteBuffer.wrap(frame(message, message.size() - 2)).getLong();
  }

  private static Value unpack(byte[] payload) {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(payload)) {
      return unpacker.unpackValue();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String type(Value event, KvEventEncoding encoding) {
    return field(event, encoding, "type", 0).asStringValue().asString();
  }

  private static Value field(Value event, KvEventEncoding encoding, String name, int position) {
    if (encoding == KvEventEncoding.ARRAY) {
      return event.asArrayValue().get(position);
    }
    Map<Value, Value> map = event.asMapValue().map();
    return map.get(org.msgpack.value.ValueFactory.newString(name));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
