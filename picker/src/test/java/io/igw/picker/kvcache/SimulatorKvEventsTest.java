package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.TestPorts;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.testing.Await;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The picker's subscriptions against the simulator's own vLLM-style publisher, each simulated pod
 * on its loopback address with the same event ports: what the engine caches shows in the index,
 * evictions leave it, and a restarted engine (sequence from 0) replaces what the index knew.
 */
@ExtendWith(VertxExtension.class)
class SimulatorKvEventsTest {
  private static final PoolName POOL = new PoolName("default", "sim-pool");
  private static final String MODEL = "sim-model";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final AtomicReference<List<Endpoint>> endpoints = new AtomicReference<>(List.of());
  private final List<SimulatorServer> servers = new ArrayList<>();
  private Vertx vertx;
  private WebClient http;
  private int httpPort;
  private int pubPort;
  private int replayPort;
  private KvEventSubscriptions kv;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    http = WebClient.create(vertx);
    httpPort = TestPorts.take();
    pubPort = TestPorts.take();
    replayPort = TestPorts.take();
  }

  @AfterEach
  void tearDown() {
    if (kv != null) {
      Await.result(kv.close());
    }
    for (SimulatorServer server : servers) {
      Await.result(server.close());
    }
    http.close();
  }

  private SimulatorServer start(String ip, int numGpuBlocks) {
    JsonObject config =
        new JsonObject()
            .put("enable_kv_cache_events", true)
            .put("publisher", "zmq")
            .put("endpoint", "tcp://*:" + pubPort)
            .put("replay_endpoint", "tcp://*:" + replayPort)
            .put("topic", "kv@" + ip + "@" + MODEL);
    SimulatorOptions options =
        new SimulatorOptions()
            .setHost(ip)
            .setPort(httpPort)
            .setModel(MODEL)
            .setTimeScale(50)
            .setEnablePromptTokensDetails(true)
            .setKvEventsConfig(config);
    if (numGpuBlocks > 0) {
      options.setNumGpuBlocks(numGpuBlocks);
    }
    SimulatorServer server = Await.result(SimulatorServer.start(vertx, options));
    servers.add(server);
    return server;
  }

  private void subscribe(String... ips) {
    endpoints.set(
        Arrays.stream(ips)
            .map(ip -> Endpoint.of(POOL, "pod-" + ip, ip, httpPort, "vllm"))
            .toList());
    kv =
        KvEventSubscriptions.start(
            vertx,
            endpoints::get,
            new KvEventsOptions()
                .setSocketPort(pubPort)
                .setReplaySocketPort(replayPort)
                .setDiscoveryIntervalMs(50)
                .setReplayCooldownMs(0));
  }

  private String address(String ip) {
    return ip + ":" + httpPort;
  }

  /**
   * Completes {@code prompt} (token ids) on the server at {@code ip}; returns the cached tokens it
   * reports.
   */
  private int complete(String ip, int[] prompt) {
    JsonObject body =
        new JsonObject()
            .put("model", MODEL)
            .put("max_tokens", 2)
            .put(
                "prompt",
                new JsonArray(Arrays.stream(prompt).boxed().collect(Collectors.toList())));
    JsonObject answer =
        Await.result(http.post(httpPort, ip, "/v1/completions").sendJsonObject(body))
            .bodyAsJsonObject();
    return answer
        .getJsonObject("usage")
        .getJsonObject("prompt_tokens_details")
        .getInteger("cached_tokens");
  }

  private static int[] prompt(int seed, int tokens) {
    return new SplittableRandom(seed).ints(tokens, 0, 100_000).toArray();
  }

  /**
   * Sends distinct prompts to each server until the index has heard from all of them (past ZMQ's
   * slow join).
   */
  private void warmUp(String... ips) {
    // keeps publishing while it waits: batches sent before a SUB socket has joined are never heard
    int[] round = {0};
    await()
        .atMost(WAIT)
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () -> {
              for (String ip : ips) {
                complete(ip, prompt(10_000 + round[0], 2 * 16));
              }
              round[0]++;
              return kv.stats().index().endpoints() == ips.length;
            });
  }

  /**
   * Waits until no batch has arrived for a few discovery rounds: the index has what the engines
   * sent.
   */
  private void settle() throws InterruptedException {
    long seen = -1;
    while (seen != kv.stats().batches()) {
      seen = kv.stats().batches();
      Thread.sleep(300);
    }
  }

  private long[] keys(int[] prompt) {
    return kv.index().keys().of(MODEL, prompt);
  }

  @Test
  void whatTheEngineCachesIsIndexedAndEvictionsTakeItOut() throws Exception {
    start("127.0.0.31", 48);
    start("127.0.0.32", 0);
    subscribe("127.0.0.31", "127.0.0.32");
    warmUp("127.0.0.31", "127.0.0.32");
    int[] shared = prompt(1, 6 * 16 + 5);

    complete("127.0.0.31", shared);

    List<String> both = List.of(address("127.0.0.31"), address("127.0.0.32"));
    await()
        .atMost(WAIT)
        .until(() -> Arrays.equals(kv.index().matches(both, keys(shared)), new int[] {6, 0}));
    for (int i = 0;
        i < 40 && kv.index().longestPrefix(address("127.0.0.31"), keys(shared)) == 6;
        i++) {
      complete("127.0.0.31", prompt(100 + i, 6 * 16 + 5));
      settle();
    }
    assertThat(kv.index().longestPrefix(address("127.0.0.31"), keys(shared))).isLessThan(6);
    assertThat(kv.stats().index().removedBlocks()).isPositive();
    settle();
    int predicted = kv.index().longestPrefix(address("127.0.0.31"), keys(shared)) * 16;
    assertThat(complete("127.0.0.31", shared))
        .as("cached tokens the index predicted")
        .isEqualTo(predicted);
    KvEventStats stats = kv.stats();
    assertThat(stats.decodeErrors() + stats.skippedEvents() + stats.index().orphanStores())
        .isZero();
  }

  @Test
  void aRestartedEngineReplacesWhatTheIndexKnew() throws Exception {
    SimulatorServer first = start("127.0.0.33", 0);
    subscribe("127.0.0.33");
    warmUp("127.0.0.33");
    int[] before = prompt(2, 4 * 16 + 1);
    complete("127.0.0.33", before);
    for (int i = 0; i < 30; i++) {
      complete("127.0.0.33", prompt(200 + i, 2 * 16 + 1));
    }
    String address = address("127.0.0.33");
    await().atMost(WAIT).until(() -> kv.index().longestPrefix(address, keys(before)) == 4);

    Await.result(first.close());
    servers.remove(first);
    start("127.0.0.33", 0);
    int[] after = prompt(3, 3 * 16 + 1);
    complete("127.0.0.33", after);
    for (int i = 0; i < 20 && kv.stats().restarts() == 0; i++) {
      Thread.sleep(100);
      complete("127.0.0.33", prompt(300 + i, 2 * 16 + 1));
    }

    await().atMost(WAIT).until(() -> kv.stats().restarts() == 1);
    await().atMost(WAIT).until(() -> kv.index().longestPrefix(address, keys(after)) == 3);
    assertThat(kv.index().longestPrefix(address, keys(before))).isZero();
    assertThat(kv.stats().index().clears()).isEqualTo(1);
  }
}
