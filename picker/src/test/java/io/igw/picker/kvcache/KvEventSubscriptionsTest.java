package io.igw.picker.kvcache;

import static io.igw.picker.kvcache.VllmPayloads.batch;
import static io.igw.picker.kvcache.VllmPayloads.storedMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.LoopbackOnly;
import io.igw.api.net.TestPorts;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscriptions over real ZMQ sockets to publishers the tests script: each "pod" a loopback address
 * with the same event ports, as pods share vLLM's 5557/5558. Gaps are made by not sending a batch
 * the replay socket still has.
 */
@ExtendWith(VertxExtension.class)
class KvEventSubscriptionsTest {
  private static final PoolName POOL = new PoolName("default", "pool");
  private static final String MODEL = "m";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final AtomicReference<List<Endpoint>> endpoints = new AtomicReference<>(List.of());
  private final List<ScriptedPublisher> publishers = new ArrayList<>();
  private int pubPort;
  private int replayPort;
  private KvEventsOptions options;
  private KvEventSubscriptions kv;
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    pubPort = TestPorts.take();
    replayPort = TestPorts.take();
    options =
        new KvEventsOptions()
            .setSocketPort(pubPort)
            .setReplaySocketPort(replayPort)
            .setDiscoveryIntervalMs(50)
            .setReplayCooldownMs(0)
            .setReplayTimeoutMs(1500)
            .setHandshakeTimeoutMs(300);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (kv != null) {
      Await.result(kv.close());
    }
    for (ScriptedPublisher publisher : publishers) {
      publisher.close();
    }
  }

  private ScriptedPublisher publisher(String ip, boolean withReplay) {
    ScriptedPublisher publisher =
        new ScriptedPublisher(ip, pubPort, withReplay ? replayPort : 0, "kv@" + ip + "@" + MODEL);
    publishers.add(publisher);
    return publisher;
  }

  private static Endpoint endpoint(String ip) {
    return Endpoint.of(POOL, "pod-" + ip, ip, 8000, Endpoint.DEFAULT_ENGINE);
  }

  private void subscribe(String... ips) {
    endpoints.set(Arrays.stream(ips).map(KvEventSubscriptionsTest::endpoint).toList());
    kv = KvEventSubscriptions.start(vertx, endpoints::get, options);
  }

  private static int[] prompt(int seed, int blocks) {
    return new SplittableRandom(seed).ints(blocks * 16L, 0, 150_000).toArray();
  }

  /** A root BlockStored of one block with its own tokens (the subscription's heartbeat). */
  private static byte[] heartbeat(long seq) {
    return batch(
        seq, storedMap(new long[] {1_000_000 + seq}, null, prompt((int) seq + 1000, 1), 16, null));
  }

  /**
   * Publishes heartbeats until the subscriber has applied one, then until it has accounted for all
   * of them (applied live or from the replay a late start asks for, or counted lost); returns the
   * next seq to publish.
   */
  private long connect(ScriptedPublisher publisher) throws InterruptedException {
    long seq = 0;
    for (; seq < 200 && kv.stats().batches() == 0; seq++) {
      publisher.publish(seq, heartbeat(seq));
      Thread.sleep(25);
    }
    long published = seq;
    await().atMost(WAIT).until(() -> kv.stats().batches() + kv.stats().lostBatches() >= published);
    return seq;
  }

  @Test
  void aGapIsFilledFromTheReplaySocket() throws Exception {
    ScriptedPublisher publisher = publisher("127.0.0.21", true);
    subscribe("127.0.0.21");
    long seq = connect(publisher);
    long gapsBefore = kv.stats().gaps();
    int[] prompt = prompt(1, 3);
    long[] hashes = {-11, -12, -13};

    publisher.drop(
        seq,
        batch(0, storedMap(new long[] {hashes[0]}, null, Arrays.copyOf(prompt, 16), 16, null)));
    publisher.publish(
        seq + 1,
        batch(
            0,
            storedMap(
                new long[] {hashes[1], hashes[2]},
                hashes[0],
                Arrays.copyOfRange(prompt, 16, 48),
                16,
                null)));

    String address = endpoint("127.0.0.21").address();
    long[] request = kv.index().keys().of(MODEL, prompt);
    await().atMost(WAIT).until(() -> kv.index().longestPrefix(address, request) == 3);
    KvEventStats stats = kv.stats();
    assertThat(stats.gaps()).isEqualTo(gapsBefore + 1);
    assertThat(stats.replaysCompleted()).isGreaterThanOrEqualTo(1);
    assertThat(stats.lostBatches()).isZero();
    assertThat(stats.index().orphanStores()).isZero();
  }

  @Test
  void withoutAReplaySocketAGapIsCountedAndLaterBatchesStillApply() throws Exception {
    ScriptedPublisher publisher = publisher("127.0.0.22", false);
    subscribe("127.0.0.22");
    long seq = connect(publisher);
    int[] lost = prompt(2, 2);
    int[] later = prompt(3, 2);

    publisher.drop(
        seq, batch(0, storedMap(new long[] {-21}, null, Arrays.copyOf(lost, 16), 16, null)));
    publisher.publish(
        seq + 1,
        batch(0, storedMap(new long[] {-22}, -21L, Arrays.copyOfRange(lost, 16, 32), 16, null)));
    publisher.publish(seq + 2, batch(0, storedMap(new long[] {-31, -32}, null, later, 16, null)));

    String address = endpoint("127.0.0.22").address();
    await()
        .atMost(WAIT)
        .until(() -> kv.index().longestPrefix(address, kv.index().keys().of(MODEL, later)) == 2);
    KvEventStats stats = kv.stats();
    assertThat(kv.index().longestPrefix(address, kv.index().keys().of(MODEL, lost))).isZero();
    assertThat(stats.lostBatches()).isGreaterThanOrEqualTo(1);
    assertThat(stats.replaysFailed()).isGreaterThanOrEqualTo(1);
    assertThat(stats.index().orphanStores()).isEqualTo(1);
  }

  @Test
  void garbageFramesAndPayloadsAreCountedAndTheNextBatchApplies() throws Exception {
    ScriptedPublisher publisher = publisher("127.0.0.23", true);
    subscribe("127.0.0.23");
    long seq = connect(publisher);
    int[] prompt = prompt(4, 1);

    publisher.sendRaw(publisher.topic(), "short".getBytes(), new byte[] {1});
    publisher.sendRaw(publisher.topic(), ScriptedPublisher.seqBytes(seq));
    publisher.sendRaw(
        publisher.topic(), ScriptedPublisher.seqBytes(seq), new byte[] {1}, new byte[] {2});
    publisher.publish(seq, new byte[] {(byte) 0xdd, 0x7f, -1, -1, -1});
    publisher.publish(seq + 1, batch(0, storedMap(new long[] {-41}, null, prompt, 16, null)));

    String address = endpoint("127.0.0.23").address();
    await()
        .atMost(WAIT)
        .until(() -> kv.index().longestPrefix(address, kv.index().keys().of(MODEL, prompt)) == 1);
    KvEventStats stats = kv.stats();
    assertThat(stats.malformedFrames()).isEqualTo(3);
    assertThat(stats.decodeErrors()).isEqualTo(1);
    assertThat(stats.gaps()).isZero();
  }

  @Test
  void anEndpointGoneFromTheDatastoreLosesItsSubscriptionAndEntries() throws Exception {
    ScriptedPublisher stays = publisher("127.0.0.24", true);
    ScriptedPublisher goes = publisher("127.0.0.25", true);
    subscribe("127.0.0.24", "127.0.0.25");
    int[] prompt = prompt(5, 2);
    for (long seq = 0; seq < 100 && kv.stats().index().endpoints() < 2; seq++) {
      byte[] payload =
          batch(0, storedMap(new long[] {-51 - seq, -151 - seq}, null, prompt, 16, null));
      stays.publish(seq, payload);
      goes.publish(seq, payload);
      Thread.sleep(25);
    }
    String stayed = endpoint("127.0.0.24").address();
    String gone = endpoint("127.0.0.25").address();
    long[] request = kv.index().keys().of(MODEL, prompt);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Arrays.equals(
                    kv.index().matches(List.of(stayed, gone), request), new int[] {2, 2}));

    endpoints.set(List.of(endpoint("127.0.0.24")));

    await()
        .atMost(WAIT)
        .until(() -> kv.stats().subscriptions() == 1 && kv.stats().index().endpoints() == 1);
    assertThat(kv.index().matches(List.of(stayed, gone), request)).containsExactly(2, 0);
  }

  @Test
  void anEndpointOutsideLoopbackIsRefusedNotDialled() {
    subscribe("10.9.8.7");

    await().atMost(WAIT).until(() -> kv.stats().refusedEndpoints() == 1);
    assertThat(kv.stats().subscriptions()).isZero();
    if (LoopbackOnly.enforced()) {
      assertThat(LoopbackOnly.drainViolations()).anyMatch(v -> v.contains("10.9.8.7"));
    }
  }
}
