package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.simulator.options.SimulatorOptions;
import io.igw.simulator.tokens.SmallTokenizerJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * {@code --tokenizer FILE}: the server counts, renders and caches with the model's own
 * tokenizer.json.
 */
class TokenizerOptionTest extends SimulatorHttpTest {

  @Override
  SimulatorOptions options() {
    try {
      return super.options()
          .setProfile("qwen3-32b-h100-tp2")
          .setEnablePromptTokensDetails(true)
          .setTokenizer(
              SmallTokenizerJson.write(Files.createTempDirectory("igw-tokenizer-")).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theFilesIdsAndTheProfilesChatTemplateReachTheEngine() throws Exception {
    JsonObject tokenized =
        post("/tokenize", new JsonObject().put("prompt", "lower lowest")).bodyAsJsonObject();
    assertThat(tokenized.getJsonArray("tokens"))
        .containsExactly(
            SmallTokenizerJson.id("low"),
            SmallTokenizerJson.id("er"),
            SmallTokenizerJson.id("Ġlow"),
            SmallTokenizerJson.id("e"),
            SmallTokenizerJson.id("s"),
            SmallTokenizerJson.id("t"));

    JsonArray chat =
        new JsonArray().add(new JsonObject().put("role", "user").put("content", "low"));
    JsonArray rendered =
        post("/v1/chat/completions/render", new JsonObject().put("messages", chat))
            .bodyAsJsonObject()
            .getJsonArray("token_ids");
    assertThat(rendered.getInteger(0)).isEqualTo(SmallTokenizerJson.IM_START);
    JsonObject usage =
        post("/v1/chat/completions", new JsonObject().put("messages", chat).put("max_tokens", 1))
            .bodyAsJsonObject()
            .getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo(rendered.size());
  }
}
