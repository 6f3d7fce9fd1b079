package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

class GenerationEndpointsTest extends SimulatorHttpTest {

  @Test
  void completionAnswersWithMaxTokensAndUsage() throws Exception {
    HttpResponse<Buffer> response =
        post(
            "/v1/completions",
            new JsonObject()
                .put("model", BASE)
                .put("prompt", "Say hello to the gateway")
                .put("max_tokens", 5));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("x-igw-served-by")).isEqualTo("sim-under-test");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("id")).startsWith("cmpl-");
    assertThat(body.getString("object")).isEqualTo("text_completion");
    assertThat(body.getString("model")).isEqualTo(BASE);
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("text")).isNotBlank();
    assertThat(choice.getString("finish_reason")).isEqualTo("length");
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(5);
    // <|begin_of_text|> (the Llama template's BOS) + "Say", " hello", " to", " the", " gateway" in
    // o200k_base
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo(6);
    assertThat(usage.getInteger("total_tokens")).isEqualTo(11);
    // as vLLM without --enable-prompt-tokens-details
    assertThat(usage.containsKey("prompt_tokens_details")).isTrue();
    assertThat(usage.getValue("prompt_tokens_details")).isNull();
  }

  @Test
  void chatCompletionForAnAdapter() throws Exception {
    HttpResponse<Buffer> response =
        post(
            "/v1/chat/completions",
            new JsonObject()
                .put("model", "food-review-1")
                .put(
                    "messages",
                    new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", "Review this")))
                .put("max_tokens", 3));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("id")).startsWith("chatcmpl-");
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo("food-review-1");
    JsonObject message = body.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("content")).isNotBlank();
    assertThat(body.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(3);
    // the Llama 3 template: <|begin_of_text|> <|start_header_id|> "user" <|end_header_id|> "\n\n"
    // "Review" " this"
    // <|eot_id|> <|start_header_id|> "assistant" <|end_header_id|> "\n\n"
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(12);
  }

  @Test
  void missingModelMeansTheBaseModel() throws Exception {
    HttpResponse<Buffer> response = post("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":1}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("model")).isEqualTo(BASE);
  }

  @Test
  void sameSeedGivesSameText() throws Exception {
    JsonObject request = new JsonObject().put("prompt", "hi").put("max_tokens", 8).put("seed", 42);

    String first =
        post("/v1/completions", request)
            .bodyAsJsonObject()
            .getJsonArray("choices")
            .getJsonObject(0)
            .getString("text");
    String second =
        post("/v1/completions", request)
            .bodyAsJsonObject()
            .getJsonArray("choices")
            .getJsonObject(0)
            .getString("text");

    assertThat(first).isEqualTo(second);
  }
}
