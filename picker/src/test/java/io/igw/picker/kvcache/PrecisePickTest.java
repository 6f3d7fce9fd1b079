package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.TestPorts;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.core.PickOptions;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.scheduling.config.PluginRegistry;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.igw.picker.scheduling.plugins.PrecisePrefixCacheProducer;
import io.igw.picker.scheduling.plugins.TokenProducer;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Precise prefix routing through a whole picker: simulated vLLM servers publish their KV events
 * over ZMQ, the picker tokenizes each pick through a server's render endpoint and routes a prompt
 * to the server whose events say it holds the prompt's blocks; once that server's events say it
 * evicted them, the prompt goes where it is held now. (The plain prefix-cache-scorer: the test's
 * many picks queue up on one server, which the load-aware scorer would spill.)
 */
class PrecisePickTest {
  private static final String MODEL = "sim-model";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String[] IPS = {"127.0.0.41", "127.0.0.42", "127.0.0.43"};

  private final List<SimulatorServer> servers = new ArrayList<>();
  private Vertx vertx;
  private WebClient http;
  private PickerServer picker;
  private PickClient client;
  private PrecisePrefixCacheProducer precise;
  private TokenProducer tokens;
  private int httpPort;
  private int pubPort;
  private int replayPort;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    httpPort = TestPorts.take();
    pubPort = TestPorts.take();
    replayPort = TestPorts.take();
  }

  @AfterEach
  void tearDown() {
    if (picker != null) {
      Await.result(picker.close());
    }
    servers.forEach(s -> Await.result(s.close()));
    Await.result(vertx.close());
  }

  private void startServer(String ip, int numGpuBlocks) {
    JsonObject events =
        new JsonObject()
            .put("enable_kv_cache_events", true)
            .put("publisher", "zmq")
            .put("endpoint", "tcp://*:" + pubPort)
            .put("replay_endpoint", "tcp://*:" + replayPort)
            .put("topic", "kv@" + ip + "@" + MODEL);
    servers.add(
        Await.result(
            SimulatorServer.start(
                vertx,
                new SimulatorOptions()
                    .setHost(ip)
                    .setPort(httpPort)
                    .setModel(MODEL)
                    .setTimeScale(50)
                    .setNumGpuBlocks(numGpuBlocks)
                    .setKvEventsConfig(events))));
  }

  private void startPicker() {
    SchedulerConfig config =
        new EndpointPickerConfigLoader(PluginRegistry.builtIn())
            .load(
                """
        apiVersion: inference.networking.x-k8s.io/v1alpha1
        kind: EndpointPickerConfig
        plugins:
        - {type: token-producer, parameters: {mode: render, renderTimeoutMs: 10000}}
        - type: precise-prefix-cache-producer
          parameters:
            kvEventsConfig: {podDiscoveryConfig: {socketPort: %d, replaySocketPort: %d}}
            speculativeIndexing: false
        - {type: prefix-cache-scorer, parameters: {prefixMatchInfoProducerName: precise-prefix-cache-producer}}
        - {type: queue-scorer}
        schedulingProfiles:
        - name: default
          plugins: [{pluginRef: prefix-cache-scorer, weight: 3}, {pluginRef: queue-scorer, weight: 1}]
        """
                    .formatted(pubPort, replayPort));
    precise = (PrecisePrefixCacheProducer) config.plugins().get(1);
    tokens = (TokenProducer) config.plugins().get(0);
    StringBuilder yaml = new StringBuilder(Manifests.pool("sim", httpPort));
    for (String ip : IPS) {
      yaml.append(Manifests.pod("pod-" + ip, "sim", ip, true));
    }
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml.toString()))
                    .setPickApi(new PickApiOptions().setPort(0))
                    .setPick(new PickOptions().setSchedulerConfig(config))));
    client = new PickClient(vertx, picker.port());
  }

  private static String body(String prompt) {
    return new JsonObject().put("model", MODEL).put("prompt", prompt).put("max_tokens", 1).encode();
  }

  private void complete(String ip, String prompt) {
    Await.result(
        http.post(httpPort, ip, "/v1/completions")
            .sendBuffer(io.vertx.core.buffer.Buffer.buffer(body(prompt))));
  }

  private int[] render(String ip, String prompt) {
    JsonArray ids =
        Await.result(
                http.post(httpPort, ip, "/v1/completions/render")
                    .sendBuffer(io.vertx.core.buffer.Buffer.buffer(body(prompt))))
            .bodyAsJsonArray()
            .getJsonObject(0)
            .getJsonArray("token_ids");
    return ids.stream().mapToInt(id -> ((Number) id).intValue()).toArray();
  }

  private static String prompt(int seed) {
    return IntStream.range(0, 60)
        .mapToObj(i -> "word" + (seed * 7919 + i * 31) % 10_007)
        .collect(Collectors.joining(" "));
  }

  /**
   * Completes distinct prompts on every server of {@code ips} while it waits for the index to have
   * heard from all of them: the SUB sockets join in the background, and a batch published before
   * its socket joined is never heard (a later one is, and asks for a replay from 0).
   */
  private void publishUntilHeard(int firstPrompt, String... ips) {
    int[] round = {firstPrompt};
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              for (String ip : ips) {
                complete(ip, prompt(round[0]));
              }
              round[0]++;
              return precise.index().stats().endpoints() == ips.length;
            });
  }

  private String pick(String prompt) {
    PickClient.Answer answer = client.pick("default/sim", body(prompt));
    assertThat(answer.status()).isEqualTo(200);
    return answer.firstEndpoint();
  }

  /** Eight picks in a row: a random tie would not give the same answer every time. */
  private boolean picksGoTo(String prompt, String ip) {
    for (int i = 0; i < 8; i++) {
      if (!pick(prompt).equals(ip + ":" + httpPort)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aPrefixIsRoutedWhereItsBlocksAreHeldAndNotThereOnceEvicted() {
    startServer(IPS[0], 40);
    startServer(IPS[1], 0);
    startServer(IPS[2], 0);
    startPicker();
    // every server publishes something, so none is on the approximate fallback
    publishUntilHeard(10_000, IPS);
    String shared = prompt(1);

    complete(IPS[0], shared);

    await().atMost(WAIT).until(() -> picksGoTo(shared, IPS[0]));
    assertThat(tokens.stats().rendered()).isPositive();
    long[] keys = precise.index().keys().of(MODEL, render(IPS[1], shared));
    String a = IPS[0] + ":" + httpPort;
    for (int i = 0; i < 200 && precise.index().longestPrefix(a, keys) > 0; i++) {
      complete(IPS[0], prompt(100 + i));
    }
    assertThat(precise.index().longestPrefix(a, keys))
        .as("the server's events said it evicted the prefix")
        .isZero();
    complete(IPS[2], shared);
    await().atMost(WAIT).until(() -> picksGoTo(shared, IPS[2]));
  }

  @Test
  void theIndexAndItsEventsShowOnThePickersMetrics() {
    startServer(IPS[0], 40);
    startPicker();
    publishUntilHeard(20_000, IPS[0]);
    String shared = prompt(2);
    complete(IPS[0], shared);

    await().atMost(WAIT).until(() -> picksGoTo(shared, IPS[0]));

    String text =
        Await.result(http.get(picker.port(), "127.0.0.1", "/metrics").send()).bodyAsString();
    String tag = "{plugin=\"precise-prefix-cache-producer\"}";
    assertThat(value(text, "igw_kv_events_batches_total" + tag)).isPositive();
    assertThat(value(text, "igw_kv_events_events_total" + tag)).isPositive();
    assertThat(value(text, "igw_kv_index_entries" + tag)).isPositive();
    assertThat(value(text, "igw_kv_index_endpoints" + tag)).isEqualTo(1);
    assertThat(value(text, "igw_kv_index_stored_blocks_total" + tag)).isPositive();
    assertThat(value(text, "igw_kv_events_replays_total" + tag)).isNotNegative();
    assertThat(value(text, "igw_kv_events_lag_milliseconds" + tag)).isNotNegative();
    assertThat(
            value(
                text,
                "igw_precise_prefix_picks_total{match=\"events\",plugin=\"precise-prefix-cache-producer\"}"))
        .as("the picks were matched on the server's events, not the approximate fallback")
        .isPositive();
    assertThat(
            value(
                text,
                "igw_precise_prefix_picks_total{match=\"no_tokens\",plugin=\"precise-prefix-cache-producer\"}"))
        .isZero();
    assertThat(value(text, "inference_extension_prefix_indexer_hit_ratio_count")).isPositive();
    assertThat(value(text, "inference_extension_prefix_indexer_hit_ratio_bucket{le=\"0.9\"}"))
        .as("the picks of the held prompt matched more than 90 %% of their blocks")
        .isLessThan(value(text, "inference_extension_prefix_indexer_hit_ratio_count"));
  }

  /** The value of the sample named exactly {@code series} (name and labels) in {@code text}. */
  private static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no sample " + series + " in /metrics:\n" + text);
  }
}
