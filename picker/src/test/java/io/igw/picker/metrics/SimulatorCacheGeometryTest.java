package io.igw.picker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.MetricsText;
import io.igw.picker.testing.PickClient;
import io.igw.simulator.SimulatorServer;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prefix auto-tune end to end: the simulator publishes {@code vllm:cache_config_info{block_size,
 * num_gpu_blocks}}, the collector maps it, and the default preset's prefix index takes its block
 * size and capacity from it (seen in the picker's {@code inference_extension_prefix_indexer_size}).
 */
class SimulatorCacheGeometryTest {
  static final int BLOCK_SIZE = 32;
  static final int NUM_GPU_BLOCKS = 40;
  Vertx vertx;
  PickerServer picker;
  PickClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    SimulatorServer simulator =
        Await.result(
            SimulatorServer.start(
                vertx,
                new SimulatorOptions()
                    .setModel("base")
                    .setBlockSize(BLOCK_SIZE)
                    .setNumGpuBlocks(NUM_GPU_BLOCKS)));
    String yaml =
        Manifests.pool("p", simulator.port()) + Manifests.pod("p-0", "p", "127.0.0.1", true);
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml))
                    .setPickApi(new PickApiOptions().setPort(0))));
    client = new PickClient(vertx, picker.port());
  }

  @AfterEach
  void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  JsonObject scrapedMetrics() {
    JsonObject endpoint =
        client
            .send(
                HttpMethod.GET, "/debug/pools", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toJsonObject()
            .getJsonArray("pools")
            .getJsonObject(0)
            .getJsonArray("endpoints")
            .getJsonObject(0);
    return endpoint.getJsonObject("metrics", new JsonObject());
  }

  double indexSize() {
    String text =
        client
            .send(HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toString();
    return MetricsText.value(text, "inference_extension_prefix_indexer_size", java.util.Map.of());
  }

  @Test
  void blockSizeAndCapacityComeFromTheServersCacheConfigInfo() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> scrapedMetrics().getInteger("blockSizeTokens", 0) > 0);
    assertThat(scrapedMetrics().getInteger("blockSizeTokens")).isEqualTo(BLOCK_SIZE);
    assertThat(scrapedMetrics().getLong("numCacheBlocks")).isEqualTo(NUM_GPU_BLOCKS);

    int promptBytes = 30 * BLOCK_SIZE * 4; // 30 blocks of 32 tokens (60 of the 16-token default)
    assertThat(client.pick("default/p", prompt("alpha ", promptBytes)).status()).isEqualTo(200);
    assertThat(indexSize()).isEqualTo(30);
    // 30 more blocks: the server holds num_gpu_blocks of them, not the configured 31,250
    assertThat(client.pick("default/p", prompt("bravo ", promptBytes)).status()).isEqualTo(200);
    assertThat(indexSize()).isEqualTo(NUM_GPU_BLOCKS);
  }

  static String prompt(String word, int bytes) {
    return new JsonObject()
        .put("model", "base")
        .put("prompt", word.repeat(bytes / word.length() + 1).substring(0, bytes))
        .put("max_tokens", 1)
        .encode();
  }
}
