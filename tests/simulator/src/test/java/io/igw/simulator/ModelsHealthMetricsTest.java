package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsHealthMetricsTest extends SimulatorHttpTest {

  @Override
  SimulatorOptions options() {
    return super.options().setMaxNumSeqs(1).setMaxLoras(2);
  }

  @Test
  void healthIsOk() throws Exception {
    HttpResponse<Buffer> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("x-igw-served-by")).isEqualTo("sim-under-test");
  }

  @Test
  void modelsListsBaseThenAdaptersWithParent() throws Exception {
    JsonArray data = get("/v1/models").bodyAsJsonObject().getJsonArray("data");

    assertThat(data).hasSize(3);
    JsonObject base = data.getJsonObject(0);
    assertThat(base.getString("id")).isEqualTo(BASE);
    assertThat(base.getString("object")).isEqualTo("model");
    assertThat(base.getString("owned_by")).isEqualTo("vllm");
    assertThat(base.getString("root")).isEqualTo(BASE);
    assertThat(base.containsKey("parent")).isTrue();
    assertThat(base.getValue("parent")).isNull();
    JsonObject lora = data.getJsonObject(1);
    assertThat(lora.getString("id")).isEqualTo("food-review-1");
    assertThat(lora.getString("root")).isEqualTo("food-review-1");
    assertThat(lora.getString("parent")).isEqualTo(BASE);
    assertThat(data.getJsonObject(2).getString("id")).isEqualTo("sql-lora");
  }

  @Test
  void metricsHaveVllmNamesAndCacheGeometry() throws Exception {
    HttpResponse<Buffer> response = get("/metrics");

    assertThat(response.getHeader("content-type")).startsWith("text/plain");
    String text = response.bodyAsString();
    String model = "model_name=\"" + BASE + "\"";
    assertThat(text)
        .contains("vllm:num_requests_running{" + model + "} 0.0")
        .contains("vllm:num_requests_waiting{" + model + "} 0.0")
        .contains("vllm:kv_cache_usage_perc{" + model + "} 0.0")
        .contains("# TYPE vllm:lora_requests_info gauge")
        .containsPattern(
            "vllm:cache_config_info\\{block_size=\"16\",.*num_gpu_blocks=\"\\d+\"} 1.0");
    assertThat(metric(text, "vllm:lora_requests_info")).isGreaterThan(1.6e9);
  }

  @Test
  void inFlightRequestsShowAsRunningThenWaiting() throws Exception {
    List<HttpClient> held = new ArrayList<>();
    try {
      held.add(
          sendAndHold(
              new JsonObject()
                  .put("model", "food-review-1")
                  .put("prompt", "a")
                  .put("max_tokens", 2000)));
      held.add(
          sendAndHold(
              new JsonObject()
                  .put("model", "sql-lora")
                  .put("prompt", "b")
                  .put("max_tokens", 2000)));
      held.add(
          sendAndHold(
              new JsonObject()
                  .put("model", "sql-lora")
                  .put("prompt", "c")
                  .put("max_tokens", 2000)));

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                String text = get("/metrics").bodyAsString();
                assertThat(metric(text, "vllm:num_requests_running")).isEqualTo(1.0);
                assertThat(metric(text, "vllm:num_requests_waiting")).isEqualTo(2.0);
                assertThat(metric(text, "vllm:kv_cache_usage_perc")).isGreaterThan(0.0);
                assertThat(text)
                    .contains("max_lora=\"2\"")
                    .contains("running_lora_adapters=\"food-review-1\"")
                    .contains("waiting_lora_adapters=\"sql-lora\"");
              });
    } finally {
      for (HttpClient client : held) {
        join(client.close());
      }
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              String text = get("/metrics").bodyAsString();
              assertThat(metric(text, "vllm:num_requests_running")).isZero();
              assertThat(metric(text, "vllm:num_requests_waiting")).isZero();
            });
  }
}
