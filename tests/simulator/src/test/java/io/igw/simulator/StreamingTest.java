package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingTest extends SimulatorHttpTest {

  record Received(HttpClientResponse response, List<Buffer> pieces, String text) {
    List<String> events() {
      return Arrays.stream(text.split("\n\n")).filter(e -> !e.isBlank()).toList();
    }
  }

  Received stream(String path, JsonObject body) throws Exception {
    HttpClient http = vertx.createHttpClient();
    List<Buffer> pieces = new ArrayList<>();
    Promise<Received> done = Promise.promise();
    http.request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(server.port())
                .setURI(path))
        .compose(req -> req.send(body.encode()))
        .onSuccess(
            response -> {
              response.handler(pieces::add);
              response.endHandler(
                  v ->
                      done.complete(
                          new Received(
                              response,
                              pieces,
                              pieces.stream().map(Buffer::toString).reduce("", String::concat))));
            })
        .onFailure(done::fail);
    try {
      return join(done.future());
    } finally {
      http.close();
    }
  }

  @Test
  void chatStreamSendsRoleThenOneChunkPerTokenThenUsageThenDone() throws Exception {
    Received received =
        stream(
            "/v1/chat/completions",
            new JsonObject()
                .put("model", BASE)
                .put(
                    "messages",
                    new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
                .put("max_tokens", 4)
                .put("stream", true)
                .put("stream_options", new JsonObject().put("include_usage", true)));

    assertThat(received.response().statusCode()).isEqualTo(200);
    assertThat(received.response().getHeader("content-type")).startsWith("text/event-stream");
    assertThat(received.response().getHeader("x-igw-served-by")).isEqualTo("sim-under-test");
    List<String> events = received.events();
    assertThat(events).hasSize(1 + 4 + 1 + 1).allMatch(e -> e.startsWith("data: "));
    List<JsonObject> chunks =
        events.subList(0, 6).stream().map(e -> new JsonObject(e.substring(6))).toList();
    assertThat(chunks).allMatch(c -> c.getString("object").equals("chat.completion.chunk"));
    assertThat(chunks.stream().map(c -> c.getString("id")).distinct()).hasSize(1);
    assertThat(delta(chunks.get(0)).getString("role")).isEqualTo("assistant");
    for (int i = 1; i <= 4; i++) {
      assertThat(delta(chunks.get(i)).getString("content")).isNotEmpty();
      assertThat(chunks.get(i).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
          .isEqualTo(i == 4 ? "length" : null);
    }
    assertThat(chunks.get(5).getJsonArray("choices")).isEmpty();
    assertThat(chunks.get(5).getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(4);
    assertThat(events.get(6)).isEqualTo("data: [DONE]");
  }

  @Test
  void completionStreamArrivesInSeveralPieces() throws Exception {
    Received received =
        stream(
            "/v1/completions",
            new JsonObject()
                .put("model", "sql-lora")
                .put("prompt", "SELECT")
                .put("max_tokens", 10)
                .put("stream", true));

    List<String> events = received.events();
    assertThat(events).hasSize(10 + 1);
    JsonObject first = new JsonObject(events.get(0).substring(6));
    assertThat(first.getString("object")).isEqualTo("text_completion");
    assertThat(first.getString("model")).isEqualTo("sql-lora");
    assertThat(first.getJsonArray("choices").getJsonObject(0).getString("text")).isNotEmpty();
    assertThat(first.containsKey("usage")).isFalse();
    // each token is flushed on its own engine step, so the client cannot get them all in one read
    assertThat(received.pieces()).hasSizeGreaterThan(1);
  }

  private static JsonObject delta(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
  }
}
