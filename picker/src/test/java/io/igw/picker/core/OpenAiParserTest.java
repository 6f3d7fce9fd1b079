package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.picker.core.OpenAiRequest.Api;
import io.igw.picker.scheduling.PromptBytes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiParserTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/completions                | {\"model\":\"m\",\"prompt\":\"hello\"}                          | hello",
        "/v1/completions                | {\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}                       | [\"a\",\"b\"]",
        "/v1/completions                | {\"model\":\"m\",\"prompt\":[[1,2],[3]]}                         | [[1,2],[3]]",
        "/v1/chat/completions           | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | [{\"role\":\"user\",\"content\":\"hi\"}]",
        "/v1/chat/completions?x=1       | {\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]} | [{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]",
        "/v1/responses                  | {\"model\":\"m\",\"instructions\":\"be brief\",\"input\":\"hi\"}  | be briefhi",
        "/v1/embeddings                 | {\"model\":\"m\",\"input\":\"text\"}                              | text",
        "/v1/conversations              | {\"model\":\"m\"}                                                 | ''",
        "/other                         | {\"model\":\"m\",\"prompt\":\"p\"}                                | p",
        "/other                         | {\"model\":\"m\",\"prompt\":5}                                    | ''",
      })
  void readsPrompts(String path, String body, String prompt) {
    OpenAiRequest parsed = OpenAiParser.parse(path, new JsonObject(body));
    assertThat(parsed.promptBytes().text()).isEqualTo(prompt);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/completions      | {\"prompt\":5}",
        "/v1/completions      | {\"prompt\":{\"a\":1}}",
        "/v1/completions      | {\"prompt\":[{\"a\":1}]}",
        "/v1/completions      | {\"prompt\":[[1,\"x\"]]}",
        "/v1/chat/completions | {\"messages\":\"hi\"}",
        "/v1/chat/completions | {}",
        "/v1/chat/completions | {\"messages\":[\"hi\"]}",
        "/v1/chat/completions | {\"messages\":[{\"content\":\"hi\"}]}",
        "/v1/chat/completions | {\"messages\":[{\"role\":\"user\",\"content\":5}]}",
        "/v1/chat/completions | {\"messages\":[{\"role\":\"user\",\"content\":[\"x\"]}]}",
        "/v1/responses        | {\"input\":5}",
        "/v1/responses        | {\"instructions\":[]}",
      })
  void rejectsShapesTheApiForbids(String path, String body) {
    assertThatThrownBy(() -> OpenAiParser.parse(path, new JsonObject(body)))
        .isInstanceOfSatisfying(PickFailure.class, f -> assertThat(f.status()).isEqualTo(400));
  }

  @Test
  void knowsTheApis() {
    assertThat(OpenAiParser.apiOf("/v1/chat/completions/")).isEqualTo(Api.CHAT_COMPLETIONS);
    assertThat(OpenAiParser.apiOf("/v1/conversations/abc/items")).isEqualTo(Api.CONVERSATIONS);
    assertThat(OpenAiParser.apiOf(null)).isEqualTo(Api.OTHER);
    assertThat(OpenAiParser.parse("/v1/completions", null).promptBytes().isEmpty()).isTrue();
  }

  @Test
  void keepsAtMostMaxPromptBytesForHashing() {
    String prompt = "p".repeat(OpenAiParser.MAX_PROMPT_BYTES + 10);
    PromptBytes kept =
        OpenAiParser.parse("/v1/completions", new JsonObject().put("prompt", prompt)).promptBytes();
    assertThat(kept.length()).isEqualTo(OpenAiParser.MAX_PROMPT_BYTES);
    assertThat(kept.text()).isEqualTo(prompt.substring(0, OpenAiParser.MAX_PROMPT_BYTES));
  }
}
