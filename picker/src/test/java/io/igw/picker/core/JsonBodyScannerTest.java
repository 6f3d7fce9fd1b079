package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.scheduling.PromptBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyScannerTest {
  static final List<String> PATHS =
      List.of(
          "/v1/completions",
          "/v1/chat/completions",
          "/v1/responses",
          "/v1/embeddings",
          "/v1/conversations/x",
          "/other");

  /** Bodies a client may send, well-formed or not; each is read the same by both paths. */
  static List<String> bodies() {
    return List.of(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        " { \"model\" : \"m\" , \"messages\" : [ { \"role\" : \"user\" , \"content\" : \"h\\u00e9 \\ud83d\\ude00 \\n\\t\\\"x\\\\ / \\u0001\" } ] } ",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:,x\",\"detail\":null}}]}],\"tools\":[{\"a\":[1,2.5,true]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":null,\"tool_calls\":[{\"id\":\"1\",\"n\":-0,\"big\":123456789012345678901234567890,\"l\":12345678901}]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"no type\"}]}]}",
        "{\"messages\":[{\"role\":1,\"content\":[{\"text\":\"no type\"}]}]}",
        "{\"messages\":[{\"content\":\"no role\"}, {\"role\":\"user\",\"content\":5}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":{}}, {\"content\":\"no role\"}]}",
        "{\"messages\":[\"not an object\"]}",
        "{\"messages\":[[1]]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[\"part\"]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":3}]}]}",
        "{\"messages\":{}}",
        "{\"messages\":null}",
        "{\"messages\":\"text\"}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"temperature\":0.5}]}",
        "{\"model\":\"m\",\"prompt\":\"a prompt \\u2028 \\ud800 lone\"}",
        "{\"prompt\":[\"a\",\"b\",1,[1,2,3]]}",
        "{\"prompt\":[[1,\"x\"]]}",
        "{\"prompt\":[{\"a\":1}]}",
        "{\"prompt\":[1.5, 2e3]}",
        "{\"prompt\":[-0, 0, 99999999999]}",
        "{\"prompt\":7}",
        "{\"prompt\":null}",
        "{\"prompt\":true}",
        "{\"prompt\":{}}",
        "{\"prompt\":[]}",
        "{\"input\":\"text\",\"instructions\":\"be brief\"}",
        "{\"input\":[{\"role\":\"user\",\"content\":\"x\"}],\"instructions\":\"be brief\"}",
        "{\"input\":[\"a\"]}",
        "{\"input\":5}",
        "{\"instructions\":5,\"input\":\"x\"}",
        "{\"instructions\":[\"x\"]}",
        "{\"instructions\":\"\\ud83d\",\"input\":\"\\ude00\"}",
        "{\"input\":[\"\\ud83d\\ude00\"]}",
        "{\"input\":[\"lone \\ud83d\", \"\\\\ud800 is text\"]}",
        "{\"instructions\":null,\"input\":null}",
        "{\"model\":null}",
        "{\"model\":7}",
        "{\"model\":{}}",
        "{\"model\":\"\"}",
        "{}",
        "[]",
        "[{\"model\":\"m\"}]",
        "\"text\"",
        "7",
        "null",
        "not json",
        "{\"model\":\"m\"} trailing",
        "{\"model\":\"m\"}{}",
        "{\"model\":\"m\",}",
        "{\"model\":\"m\"",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}",
        "{\"model\":'m'}",
        "{model:\"m\"}",
        "{\"model\":\"m\" /* comment */}",
        "{\"model\":\"m\",\"n\":NaN}",
        "{\"model\":\"m\",\"n\":01}",
        "{\"model\":\"\u0000\"}",
        "{\"model\":\"m\",\"x\":\"\\x\"}",
        // duplicate keys: the last value counts, as JSON.parse (njs) and the codec's map give it
        "{\"model\":\"a\",\"model\":\"b\"}",
        "{\"model\":\"a\",\"prompt\":\"x\",\"model\":7}",
        "{\"model\":7,\"model\":\"b\"}",
        "{\"messages\":[{\"role\":\"user\",\"role\":5,\"content\":\"x\"}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"content\":\"y\"}]}",
        "{\"prompt\":\"a\",\"prompt\":[\"b\"]}",
        "{\"x\":{\"a\":1,\"a\":2},\"prompt\":\"p\"}",
        "{\"stream\":true,\"stream\":false,\"prompt\":\"p\"}",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"type\":5}]}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"m\":{\"a\":{\"b\":1,\"b\":2}}}]}",
        "{\"messages\":[{\"role\":\"user\","
            + manyKeys(JsonBodyScanner.MAX_KEYS_PER_OBJECT + 5)
            + "}]}",
        "{\"messages\":[{\"role\":\"user\","
            + manyKeys(JsonBodyScanner.MAX_KEYS_PER_OBJECT - 1)
            + "}]}",
        "{\"tools\":{" + manyKeys(5000) + "},\"prompt\":\"p\"}",
        // the limits: too deep, an array too long, both against a syntax error
        "{\"a\":" + "[".repeat(65) + "]".repeat(65) + "}",
        "{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}",
        "{\"messages\":" + "[".repeat(80) + "]".repeat(80) + "}",
        "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
        "{\"a\":" + "[".repeat(5000),
        "{\"a\":[" + "0,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS) + "0]}",
        "{\"a\":[" + "0,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS - 1) + "0]}",
        "{\"prompt\":[" + "1,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS) + "1]}",
        "{\"a\":[" + "0,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS) + "0], x}",
        "{\"a\":x, \"b\":[" + "0,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS) + "0]}");
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void readsEveryBodyAsTheTreePathDid(String body) {
    for (String path : PATHS) {
      TreePathReading before = TreePathReading.of(body, path);
      TreePathReading now = TreePathReading.scanned(body, path);
      assertThat(now.sameAs(before))
          .as(path + " " + abbreviated(body) + ": " + now + " vs " + before)
          .isTrue();
    }
  }

  @Test
  void keepsTheBodysOwnBytesWhereTheClientWroteThePromptAsItIsHashed() {
    String messages = "[{\"role\":\"user\",\"content\":\"hi \\\"there\\\"\"}]";
    Buffer compact = TreePathReading.embedded("{\"model\":\"m\",\"messages\":" + messages + "}");
    PromptBytes view = JsonBodyScanner.scan(compact).messages().json();
    assertThat(view.array()).isSameAs(backing(compact));
    assertThat(view.text()).isEqualTo(messages);

    Buffer spaced =
        Buffer.buffer(
            "{\"model\":\"m\",\"messages\": [ {\"role\": \"user\", \"content\": \"hi\"} ]}");
    PromptBytes copied = JsonBodyScanner.scan(spaced).messages().json();
    assertThat(copied.array()).isNotSameAs(backing(spaced));
    assertThat(copied.text()).isEqualTo("[{\"role\":\"user\",\"content\":\"hi\"}]");

    // an escape the encoder writes otherwise: the same bytes as the compact body's, not a view
    Buffer escaped = Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":\"\\u0041\"}]}");
    PromptBytes rewritten = JsonBodyScanner.scan(escaped).messages().json();
    assertThat(rewritten.array()).isNotSameAs(backing(escaped));
    assertThat(rewritten.text()).isEqualTo("[{\"role\":\"user\",\"content\":\"A\"}]");

    Buffer completion = TreePathReading.embedded("{\"prompt\":\"once upon\",\"model\":\"m\"}");
    PromptBytes prompt = JsonBodyScanner.scan(completion).prompt().stringBytes();
    assertThat(prompt.array()).isSameAs(backing(completion));
    assertThat(prompt.text()).isEqualTo("once upon");
  }

  private static byte[] backing(Buffer body) {
    return ((io.vertx.core.internal.buffer.BufferInternal) body).getByteBuf().array();
  }

  @Test
  void answersForAPlainChatWithoutATree() {
    String body =
        "{\"model\":\"m\",\"stream\":true,\"max_tokens\":5,\"temperature\":0.7,"
            + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"}]}";
    JsonBodyScanner.ScannedBody scanned = JsonBodyScanner.scan(Buffer.buffer(body));
    assertThat(scanned).isNotNull();
    assertThat(scanned.model()).isEqualTo("m");
    assertThat(scanned.messages().json().text())
        .isEqualTo(new JsonObject(body).getJsonArray("messages").encode());
    assertThat(scanned.messages().invalid()).isNull();
    assertThat(scanned.prompt().kind()).isEqualTo(JsonBodyScanner.Kind.ABSENT);
  }

  @ParameterizedTest
  @MethodSource("treePathBodies")
  void leavesWhatItDoesNotAnswerForToTheTreePath(String body) {
    assertThat(JsonBodyScanner.scan(Buffer.buffer(body))).isNull();
  }

  static List<String> treePathBodies() {
    return List.of(
        "{\"model\":\"a\",\"model\":\"b\"}",
        "{\"prompt\":\"a\",\"prompt\":\"b\"}",
        "{\"messages\":[{\"role\":\"user\",\"role\":\"system\"}]}",
        "{\"messages\":[{\"role\":\"user\","
            + manyKeys(JsonBodyScanner.MAX_KEYS_PER_OBJECT)
            + "}]}",
        "{\"model\":7}",
        "[]",
        "{\"model\":\"m\"} x",
        "{\"a\":" + "[".repeat(65) + "]".repeat(65) + "}",
        "{\"a\":[" + "0,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS) + "0]}",
        "{\"prompt\":[1.5]}",
        "{\"model\":\"m\"");
  }

  @Test
  void aDuplicateModelIsTheLastOneAsJsonParseReadsIt() {
    PickBody body = PickBody.of(Buffer.buffer("{\"model\":\"first\",\"model\":\"second\"}"));
    assertThat(body.model()).isEqualTo("second");
    assertThat(body.openAi("/v1/completions").model()).isEqualTo("second");
  }

  @Test
  void aHugePromptIsReadInOnePassAndCutForHashing() {
    String text = "x".repeat(OpenAiParser.MAX_PROMPT_BYTES + 1000);
    String body =
        new JsonObject()
            .put("model", "m")
            .put(
                "messages",
                new JsonArray().add(new JsonObject().put("role", "user").put("content", text)))
            .encode();
    OpenAiRequest read = PickBody.of(Buffer.buffer(body)).openAi("/v1/chat/completions");
    assertThat(read.promptBytes().length()).isEqualTo(OpenAiParser.MAX_PROMPT_BYTES);
    assertThat(
            TreePathReading.scanned(body, "/v1/chat/completions")
                .sameAs(TreePathReading.of(body, "/v1/chat/completions")))
        .isTrue();
  }

  @Test
  void aScannedBodyStillGivesItsTreeWhenAskedFor() {
    String body = "{\"model\":\"m\",\"prompt\":\"p\",\"n\":[1,2.5]}";
    PickBody checked = PickBody.of(Buffer.buffer(body));
    assertThat(checked.model()).isEqualTo("m");
    assertThat(checked.json()).isEqualTo(new JsonObject(body));
    assertThat(checked.json()).isSameAs(checked.json());
  }

  /** {@code "k0":0,"k1":1,...}: {@code n} distinct keys. */
  static String manyKeys(int n) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < n; i++) {
      keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    return keys.toString();
  }

  @Test
  void keysTwiceOutsideTheFieldsItReadsDoNotStopTheScan() {
    // the pick never reads them; the tree, when a rewrite asks for it, keeps the last as before
    String body = "{\"model\":\"m\",\"x\":{\"a\":1,\"a\":2},\"n\":true,\"n\":false}";
    assertThat(JsonBodyScanner.scan(Buffer.buffer(body))).isNotNull();
    assertThat(PickBody.of(Buffer.buffer(body)).json().encode())
        .isEqualTo("{\"model\":\"m\",\"x\":{\"a\":2},\"n\":false}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"stream\":true}                                           | true",
        "{\"stream\":true,\"stream_options\":null}                   | true",
        "{\"stream\":true,\"stream_options\":{}}                     | true",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":false}} | true",
        "{\"stream_options\":{\"x\":[1,{\"include_usage\":true}]},\"stream\":true} | true",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}  | false",
        "{\"stream\":true,\"stream_options\":[]}                     | false",
        "{\"stream\":false}                                          | false",
        "{\"stream\":\"true\"}                                       | false",
        "{\"prompt\":\"\\\"stream\\\":true\"}                        | false",
        "{}                                                         | false",
      })
  void theScanSaysWhetherAStreamWillReportItsUsage(String body, boolean withoutUsage) {
    JsonBodyScanner.ScannedBody scanned = JsonBodyScanner.scan(Buffer.buffer(body));
    assertThat(scanned).as(body).isNotNull();
    assertThat(scanned.streamWithoutUsage()).as(body).isEqualTo(withoutUsage);
    assertThat(UsageRequest.streamWithoutUsage(new JsonObject(body)))
        .as("the tree path agrees: " + body)
        .isEqualTo(withoutUsage);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"stream\":true,\"stream\":false}",
        "{\"stream_options\":{},\"stream_options\":{}}",
        "{\"stream_options\":{\"include_usage\":true,\"include_usage\":false}}",
      })
  void theStreamKeysTwiceGoToTheTreePath(String body) {
    // the tree keeps the last, as JSON.parse does
    assertThat(JsonBodyScanner.scan(Buffer.buffer(body))).isNull();
  }

  private static String abbreviated(String body) {
    return body.length() > 120 ? body.substring(0, 120) + "…(" + body.length() + " chars)" : body;
  }
}
