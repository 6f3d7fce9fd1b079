package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's behaviour as a client sees it: cached tokens, output lengths, embeddings, metric
 * names.
 */
class EngineBehaviourOverHttpTest extends SimulatorHttpTest {

  @Override
  SimulatorOptions options() {
    return super.options().setTimeScale(50).setEnablePromptTokensDetails(true);
  }

  @Test
  void aRepeatedPromptReportsCachedTokensAndPrefixCacheMetrics() throws Exception {
    String prompt = "You are a helpful assistant. ".repeat(100);
    JsonObject request = new JsonObject().put("prompt", prompt).put("max_tokens", 2);

    JsonObject first = post("/v1/completions", request).bodyAsJsonObject().getJsonObject("usage");
    JsonObject second = post("/v1/completions", request).bodyAsJsonObject().getJsonObject("usage");

    assertThat(first.getJsonObject("prompt_tokens_details").getInteger("cached_tokens")).isZero();
    int cached = second.getJsonObject("prompt_tokens_details").getInteger("cached_tokens");
    // full 16-token blocks of the prompt's token ids, the last token always recomputed (as vLLM)
    int promptTokens = first.getInteger("prompt_tokens");
    assertThat(cached).isEqualTo((promptTokens - 1) / 16 * 16);
    String metrics = get("/metrics").bodyAsString();
    assertThat(metric(metrics, "vllm:prefix_cache_hits_total")).isEqualTo(cached);
    assertThat(metric(metrics, "vllm:prefix_cache_queries_total"))
        .isEqualTo(2.0 * first.getInteger("prompt_tokens"));
    assertThat(metric(metrics, "vllm:time_to_first_token_seconds_count")).isEqualTo(2.0);
  }

  @Test
  void naturalLengthsStopEarlyUnlessIgnoreEosOrMinTokens() throws Exception {
    post("/admin/config", new JsonObject().put("naturalOutputTokens", 4));
    JsonObject natural = new JsonObject().put("prompt", "hi").put("max_tokens", 400).put("seed", 1);

    JsonObject free = post("/v1/completions", natural).bodyAsJsonObject();
    JsonObject fixed =
        post("/v1/completions", natural.copy().put("ignore_eos", true)).bodyAsJsonObject();
    JsonObject floor =
        post("/v1/completions", natural.copy().put("min_tokens", 30)).bodyAsJsonObject();

    assertThat(free.getJsonObject("usage").getInteger("completion_tokens")).isLessThan(400);
    assertThat(free.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
    assertThat(fixed.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(400);
    assertThat(fixed.getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("length");
    assertThat(floor.getJsonObject("usage").getInteger("completion_tokens"))
        .isGreaterThanOrEqualTo(30);
  }

  @Test
  void embeddingsAreUnitVectorsThatDependOnTheInput() throws Exception {
    HttpResponse<Buffer> response =
        post(
            "/v1/embeddings",
            new JsonObject().put("model", BASE).put("input", "a sentence to embed"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("object")).isEqualTo("list");
    var vector = body.getJsonArray("data").getJsonObject(0).getJsonArray("embedding");
    double norm =
        vector.stream().mapToDouble(v -> ((Number) v).doubleValue()).map(v -> v * v).sum();
    assertThat(norm).isBetween(0.99, 1.01);
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(5);
    var again =
        post("/v1/embeddings", new JsonObject().put("input", "a sentence to embed"))
            .bodyAsJsonObject();
    assertThat(again.getJsonArray("data").getJsonObject(0).getJsonArray("embedding"))
        .isEqualTo(vector);
  }

  @Test
  void aPromptLongerThanTheCacheIsABadRequest() throws Exception {
    post("/admin/config", new JsonObject().put("maxNumSeqs", 4));
    HttpResponse<Buffer> response =
        post("/v1/completions", new JsonObject().put("prompt", "x").put("max_tokens", 1_000_000));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("message")).contains("maximum context length");
  }

  @ParameterizedTest
  @CsvSource({
    "sglang, sglang:num_queue_reqs, sglang:num_running_reqs, sglang:token_usage, sglang:cache_config_info",
    "trtllm, trtllm_num_requests_waiting, trtllm_num_requests_running, trtllm_kv_cache_utilization, "
        + "trtllm_kv_cache_max_blocks",
    "vllm, vllm:num_requests_waiting, vllm:num_requests_running, vllm:kv_cache_usage_perc, vllm:cache_config_info"
  })
  void metricNamesFollowTheFlavor(
      String flavor, String waiting, String running, String kv, String geometry) throws Exception {
    post("/admin/config", new JsonObject().put("metricsFlavor", flavor));

    String metrics = get("/metrics").bodyAsString();

    assertThat(metric(metrics, waiting)).isZero();
    assertThat(metric(metrics, running)).isZero();
    assertThat(metric(metrics, kv)).isZero();
    assertThat(metrics).contains(geometry);
  }
}
