package io.igw.e2e;

import static io.igw.e2e.GatewayStack.BASE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.api.net.TestPorts;
import io.igw.picker.core.PickOptions;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.scheduling.config.PluginRegistry;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.igw.picker.scheduling.plugins.PrecisePrefixCacheProducer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Precise prefix routing through real NGINX + njs: the simulated servers publish vLLM's KV-cache
 * events over ZMQ, the picker tokenizes each request through a server's render endpoint, and a
 * prompt goes through the gateway to the server whose events say it holds the prompt's blocks; once
 * that server's events say it evicted them, it goes where they are held now.
 */
class PrecisePrefixThroughNginxTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int SERVERS = 3;

  private final HttpClient direct = HttpClient.newHttpClient();
  private GatewayStack stack;
  private PrecisePrefixCacheProducer precise;

  @BeforeEach
  void start() throws Exception {
    int pubPort = TestPorts.take();
    int replayPort = TestPorts.take();
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
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of(), List.of()))
                .simulator(o -> o.setTimeScale(50))
                .perServer(
                    (i, o) ->
                        o.setNumGpuBlocks(i == 0 ? 40 : 0)
                            .setKvEventsConfig(
                                new JsonObject()
                                    .put("enable_kv_cache_events", true)
                                    .put("publisher", "zmq")
                                    .put("endpoint", "tcp://*:" + pubPort)
                                    .put("replay_endpoint", "tcp://*:" + replayPort)
                                    .put(
                                        "topic",
                                        "kv@" + GatewayStack.serverIp(i) + "@" + BASE_MODEL)))
                .picker(o -> o.setPick(new PickOptions().setSchedulerConfig(config))));
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private static String body(String prompt) {
    return new JsonObject()
        .put("model", BASE_MODEL)
        .put("prompt", prompt)
        .put("max_tokens", 1)
        .encode();
  }

  private static String prompt(int seed) {
    return IntStream.range(0, 60)
        .mapToObj(i -> "word" + (seed * 7919 + i * 31) % 10_007)
        .collect(Collectors.joining(" "));
  }

  /** Straight to one server, past the gateway: it caches the prompt and publishes its blocks. */
  private void completeOn(int server, String prompt) throws Exception {
    HttpResponse<String> response =
        direct.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + stack.serverAddress(server) + "/v1/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(prompt)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  /** Eight requests in a row through NGINX: a random tie would not land on one server each time. */
  private boolean gatewaySends(String prompt, int server) throws Exception {
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> response =
          Http.post(stack.gatewayPort(), "/v1/completions", body(prompt));
      assertThat(response.statusCode()).isEqualTo(200);
      if (!Http.servedBy(response).equals("server-" + server)) {
        return false;
      }
    }
    return true;
  }

  /** The prompt's token ids, as the engine renders them. */
  private int[] render(String prompt) throws Exception {
    HttpResponse<String> response =
        direct.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + stack.serverAddress(1) + "/v1/completions/render"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(prompt)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new io.vertx.core.json.JsonArray(response.body())
        .getJsonObject(0).getJsonArray("token_ids").stream()
            .mapToInt(id -> ((Number) id).intValue())
            .toArray();
  }

  @Test
  void aPromptGoesWhereItsBlocksAreHeldAndNotThereOnceEvicted() throws Exception {
    // every server publishes something, so none is on the approximate fallback
    // publishing while it waits: a batch sent before a SUB socket joined is never heard
    int[] round = {10_000};
    await()
        .atMost(WAIT)
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () -> {
              for (int server = 0; server < SERVERS; server++) {
                completeOn(server, prompt(round[0]));
              }
              round[0]++;
              return precise.index().stats().endpoints() == SERVERS;
            });
    String shared = prompt(1);

    completeOn(0, shared);
    await().atMost(WAIT).until(() -> gatewaySends(shared, 0));

    // server 0 holds 40 blocks: other prompts push the shared one out, and its events say so
    long[] keys = precise.index().keys().of(BASE_MODEL, render(shared));
    String server0 = stack.serverAddress(0);
    assertThat(precise.index().longestPrefix(server0, keys)).isPositive();
    for (int i = 0; i < 200 && precise.index().longestPrefix(server0, keys) > 0; i++) {
      completeOn(0, prompt(100 + i));
    }
    assertThat(precise.index().longestPrefix(server0, keys))
        .as("server 0's events said it evicted the prompt's blocks")
        .isZero();
    completeOn(2, shared);
    await().atMost(WAIT).until(() -> gatewaySends(shared, 2));
  }
}
