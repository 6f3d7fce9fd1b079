package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.plugins.PrefixHasher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast encoder must write exactly the codec's bytes: the prefix hash chain is defined on them.
 */
class CompactJsonEncoderTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "[{\"role\":\"user\",\"content\":\"hi\"}]",
        "[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\u20ac \\u4e2d\\u6587 \\ud83d\\ude00 done\"}]",
        "[{\"role\":\"user\",\"content\":\"quote \\\" backslash \\\\ slash \\/ tab \\t nl \\n cr \\r bs \\b ff \\f\"}]",
        "[{\"role\":\"user\",\"content\":\"ctl \\u0000 \\u0001 \\u001f del \\u007f nbsp \\u00a0 \\u2028 \\ufeff \\uffff\"}]",
        "[{\"role\":\"user\",\"content\":\"lone \\ud83d high, lone \\ude00 low, end \\ud83d\"}]",
        "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"describe\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBOR==\",\"detail\":\"low\"}}]}]",
        "[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"ok\",\"n\":[1,-2,3000000000,"
            + "123456789012345678901234567890,true,false,null,[],{}]}]",
        "[{\"ke\\ny\\u00e9\\ud83d\\ude00\":\"v\",\"\":\"\"}]",
        "[\"a\",\"b\"]",
        "[[1,2],[3]]",
      })
  void writesTheCodecBytes(String json) {
    JsonArray value = new JsonArray(json);
    assertThat(CompactJsonEncoder.encode(value)).isEqualTo(value.toBuffer().getBytes());
  }

  @Test
  void writesTheCodecBytesForRandomText() {
    SplittableRandom random = new SplittableRandom(7);
    char[] alphabet = {
      'a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u0080', '\u00e9',
      '\u07ff', '\u0800', '\u20ac', '\ud7ff', '\ud83d', '\ude00', '\udbff', '\udfff', '\ue000',
      '\ufffd', '\uffff'
    };
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int length =
          random.nextInt(round < 250 ? 80 : 5000); // past the encoder's 1024-char chunks too
      for (int i = 0; i < length; i++) {
        text.append(
            random.nextInt(3) == 0
                ? alphabet[random.nextInt(alphabet.length)]
                : (char) random.nextInt(random.nextBoolean() ? 0x80 : 0x10000));
      }
      JsonArray value =
          new JsonArray()
              .add(new JsonObject().put("role", "user").put(text.toString(), text.toString()));
      assertThat(CompactJsonEncoder.encode(value))
          .as("round %d", round)
          .isEqualTo(value.toBuffer().getBytes());
    }
  }

  @Test
  void writesNumbersAsTheCodecDoes() {
    JsonArray value =
        new JsonArray()
            .add(0)
            .add(Integer.MIN_VALUE)
            .add(Long.MAX_VALUE)
            .add(Long.MIN_VALUE)
            .add(new BigInteger("-98765432109876543210"));
    assertThat(CompactJsonEncoder.encode(value)).isEqualTo(value.toBuffer().getBytes());
  }

  @Test
  void declinesWhatItDoesNotWrite() {
    assertThat(CompactJsonEncoder.encode(new JsonArray().add(1.5))).isNull();
    assertThat(
            CompactJsonEncoder.encode(
                new JsonArray().add(new JsonObject().put("x", new byte[] {1}))))
        .isNull();
  }

  @Test
  void theParserStillFallsBackToTheCodec() {
    JsonObject body =
        new JsonObject("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"weight\":0.5}]}");
    assertThat(OpenAiParser.parse("/v1/chat/completions", body).promptBytes().toArray())
        .isEqualTo(body.getJsonArray("messages").toBuffer().getBytes());
  }

  @Test
  void aHugePromptIsNotKeptPerThread() {
    String big = "x".repeat(CompactJsonEncoder.RETAINED_BYTES * 2);
    JsonArray value = new JsonArray().add(big);
    assertThat(CompactJsonEncoder.encode(value)).hasSize(big.length() + 4);
    assertThat(CompactJsonEncoder.encode(new JsonArray().add("y"))).isEqualTo("[\"y\"]".getBytes());
  }

  /**
   * The prefix hash chain over the parser's bytes equals the chain over the codec's, chat and
   * completions alike.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"\\u00e9t\\u00e9 \\ud83c\\udf1e \\\"q\\\" \\n\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"part one\"},{\"type\":\"text\",\"text\":\"two\"}]}]}",
        "{\"model\":\"m\",\"prompt\":[\"caf\\u00e9\",\"\\ud83d\\ude00\"]}",
      })
  void hashesAsBefore(String json) {
    JsonObject body = new JsonObject(json);
    boolean chat = body.containsKey("messages");
    byte[] codec =
        (chat ? body.getJsonArray("messages") : body.getJsonArray("prompt")).toBuffer().getBytes();
    PromptBytes parsed =
        OpenAiParser.parse(chat ? "/v1/chat/completions" : "/v1/completions", body).promptBytes();
    for (int blockBytes : new int[] {1, 7, 64}) {
      assertThat(PrefixHasher.blockHashes("m", parsed, blockBytes, 256))
          .isEqualTo(PrefixHasher.blockHashes("m", PromptBytes.of(codec), blockBytes, 256));
    }
  }
}
