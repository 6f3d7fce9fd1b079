package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.simulator.engine.EngineProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

class AdminConfigTest extends SimulatorHttpTest {

  @Test
  void getShowsTheRunningConfiguration() throws Exception {
    JsonObject config = get("/admin/config").bodyAsJsonObject();

    assertThat(config.getString("name")).isEqualTo("sim-under-test");
    assertThat(config.getString("model")).isEqualTo(BASE);
    assertThat(config.getJsonArray("loras")).containsExactly("food-review-1", "sql-lora");
    // left at 0, both come from the default profile: vLLM's max-num-seqs on an H100, the profile's
    // KV capacity
    assertThat(config.getInteger("maxNumSeqs")).isEqualTo(EngineProfile.LLAMA_8B_H100.maxNumSeqs());
    assertThat(config.getInteger("numGpuBlocks"))
        .isEqualTo(EngineProfile.LLAMA_8B_H100.numGpuBlocks());
  }

  @Test
  void postChangesLimitsFaultsAndAdapters() throws Exception {
    HttpResponse<Buffer> response =
        post(
            "/admin/config",
            new JsonObject()
                .put("maxNumSeqs", 4)
                .put("maxLoras", 2)
                .put("profile", "llama-70b-h100-tp4")
                .put("loras", new JsonArray().add("new-adapter"))
                .put("faults", new JsonObject().put("errorRate", 1.0).put("errorStatus", 429)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject config = response.bodyAsJsonObject();
    assertThat(config.getInteger("maxNumSeqs")).isEqualTo(4);
    assertThat(config.getInteger("maxLoras")).isEqualTo(2);
    assertThat(config.getString("profile")).isEqualTo("llama-70b-h100-tp4");
    assertThat(
            get("/v1/models")
                .bodyAsJsonObject()
                .getJsonArray("data")
                .getJsonObject(1)
                .getString("id"))
        .isEqualTo("new-adapter");
    assertThat(get("/metrics").bodyAsString()).contains("max_lora=\"2\"");
    HttpResponse<Buffer> refused = post("/v1/completions", "{\"prompt\":\"hi\"}");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.bodyAsJsonObject().getString("type")).isEqualTo("RateLimitError");
  }

  @Test
  void invalidChangesAreRefusedAndNothingChanges() throws Exception {
    assertThat(post("/admin/config", new JsonObject().put("numGpuBlocks", 10)).statusCode())
        .isEqualTo(400);
    assertThat(
            post("/admin/config", new JsonObject().put("maxNumSeqs", 2).put("profile", "nope"))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    "/admin/config",
                    new JsonObject().put("faults", new JsonObject().put("errorRate", 2)))
                .statusCode())
        .isEqualTo(400);
    assertThat(post("/admin/config", "not json").statusCode()).isEqualTo(400);

    assertThat(get("/admin/config").bodyAsJsonObject().getInteger("maxNumSeqs"))
        .isEqualTo(EngineProfile.LLAMA_8B_H100.maxNumSeqs());
  }

  @Test
  void loraAdaptersLoadAndUnloadLikeVllm() throws Exception {
    assertThat(
            post(
                    "/v1/load_lora_adapter",
                    new JsonObject()
                        .put("lora_name", "late-lora")
                        .put("lora_path", "/adapters/late"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post(
                    "/v1/completions",
                    new JsonObject()
                        .put("model", "late-lora")
                        .put("prompt", "x")
                        .put("max_tokens", 1))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post("/v1/load_lora_adapter", new JsonObject().put("lora_name", "late-lora"))
                .statusCode())
        .isEqualTo(400);

    assertThat(
            post("/v1/unload_lora_adapter", new JsonObject().put("lora_name", "late-lora"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post("/v1/completions", new JsonObject().put("model", "late-lora").put("prompt", "x"))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            post("/v1/unload_lora_adapter", new JsonObject().put("lora_name", "late-lora"))
                .statusCode())
        .isEqualTo(404);
  }
}
