package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * vLLM's render, tokenize and detokenize endpoints: the same token ids the generation path hands
 * the engine.
 */
class RenderEndpointsTest extends SimulatorHttpTest {

  static final JsonArray CHAT =
      new JsonArray()
          .add(new JsonObject().put("role", "system").put("content", "You route requests."))
          .add(new JsonObject().put("role", "user").put("content", "Which server?"));

  @Test
  void chatRenderGivesTheTemplatesTokensAndTheChatCountsThemAsItsPrompt() throws Exception {
    JsonObject render =
        post(
                "/v1/chat/completions/render",
                new JsonObject().put("messages", CHAT).put("max_tokens", 3))
            .bodyAsJsonObject();
    JsonArray ids = render.getJsonArray("token_ids");

    String text =
        post("/detokenize", new JsonObject().put("tokens", ids))
            .bodyAsJsonObject()
            .getString("prompt");
    assertThat(text)
        .isEqualTo(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou route requests."
                + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhich server?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    assertThat(render.getString("model")).isEqualTo(BASE);
    assertThat(render.getJsonObject("sampling_params").getInteger("max_tokens")).isEqualTo(3);
    JsonObject usage =
        post("/v1/chat/completions", new JsonObject().put("messages", CHAT).put("max_tokens", 1))
            .bodyAsJsonObject()
            .getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo(ids.size());
  }

  @Test
  void completionRenderAnswersOneRequestPerPromptWithTheBos() throws Exception {
    JsonArray rendered =
        post(
                "/v1/completions/render",
                new JsonObject()
                    .put("prompt", new JsonArray().add("Say hello").add("to the gateway")))
            .bodyAsJsonArray();

    assertThat(rendered).hasSize(2);
    JsonArray first = rendered.getJsonObject(0).getJsonArray("token_ids");
    assertThat(first.getInteger(0)).as("<|begin_of_text|>").isEqualTo(200_019);
    assertThat(first).hasSize(3);
    assertThat(rendered.getJsonObject(1).getJsonArray("token_ids")).hasSize(4);
  }

  @Test
  void tokenizeCountsLikeVllmAndDetokenizeInvertsIt() throws Exception {
    JsonObject plain =
        post(
                "/tokenize",
                new JsonObject()
                    .put("prompt", "Say hello to the gateway")
                    .put("add_special_tokens", false)
                    .put("return_token_strs", true))
            .bodyAsJsonObject();
    JsonObject withBos =
        post("/tokenize", new JsonObject().put("prompt", "Say hello to the gateway"))
            .bodyAsJsonObject();

    assertThat(plain.getInteger("count")).isEqualTo(5);
    assertThat(plain.getJsonArray("token_strs"))
        .containsExactly("Say", " hello", " to", " the", " gateway");
    assertThat(withBos.getInteger("count")).isEqualTo(6);
    assertThat(withBos.getValue("token_strs")).isNull();
    assertThat(plain.getInteger("max_model_len")).isPositive();
    assertThat(
            post("/detokenize", new JsonObject().put("tokens", plain.getJsonArray("tokens")))
                .bodyAsJsonObject()
                .getString("prompt"))
        .isEqualTo("Say hello to the gateway");
    assertThat(
            post("/tokenize", new JsonObject().put("messages", CHAT))
                .bodyAsJsonObject()
                .getInteger("count"))
        .isEqualTo(
            post("/v1/chat/completions/render", new JsonObject().put("messages", CHAT))
                .bodyAsJsonObject()
                .getJsonArray("token_ids")
                .size());
  }

  @Test
  void anUnknownModelIsRefusedAsForGeneration() throws Exception {
    assertThat(
            post("/tokenize", new JsonObject().put("model", "nope").put("prompt", "x"))
                .statusCode())
        .isEqualTo(404);
    assertThat(
            post(
                    "/v1/chat/completions/render",
                    new JsonObject().put("model", "food-review-1").put("messages", CHAT))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            post("/detokenize", new JsonObject().put("tokens", new JsonArray().add(-1)))
                .statusCode())
        .isEqualTo(400);
  }
}
