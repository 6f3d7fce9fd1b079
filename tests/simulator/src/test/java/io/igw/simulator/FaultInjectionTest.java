package io.igw.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends SimulatorHttpTest {

  @Override
  SimulatorOptions options() {
    return super.options().setTimeScale(20);
  }

  private void setFaults(JsonObject faults) throws Exception {
    assertThat(post("/admin/config", new JsonObject().put("faults", faults)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void errorRateAnswersWithTheChosenStatus() throws Exception {
    setFaults(new JsonObject().put("errorRate", 1.0).put("errorStatus", 503));

    var response = post("/v1/completions", "{\"prompt\":\"hi\"}");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsJsonObject().getString("object")).isEqualTo("error");
  }

  @Test
  void dropClosesTheConnectionWithoutAResponse() throws Exception {
    setFaults(new JsonObject().put("dropRate", 1.0));

    assertThatThrownBy(() -> post("/v1/completions", "{\"prompt\":\"hi\"}"))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void hangNeverAnswers() throws Exception {
    setFaults(new JsonObject().put("hangRate", 1.0));
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setIdleTimeout(300)
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS));

    try {
      assertThatThrownBy(
              () ->
                  join(
                      http.request(
                              new RequestOptions()
                                  .setMethod(HttpMethod.POST)
                                  .setHost("127.0.0.1")
                                  .setPort(server.port())
                                  .setURI("/v1/completions"))
                          .compose(req -> req.send("{\"prompt\":\"hi\",\"max_tokens\":1}"))))
          .isInstanceOf(ExecutionException.class);
    } finally {
      join(http.close());
    }
  }

  @Test
  void crashSendsSomeTokensThenDropsTheStream() throws Exception {
    setFaults(new JsonObject().put("crashRate", 1.0).put("crashAfterTokens", 2));
    HttpClient http = vertx.createHttpClient();
    List<String> pieces = new ArrayList<>();
    Promise<Integer> outcome = Promise.promise();

    http.request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(server.port())
                .setURI("/v1/completions"))
        .compose(
            req ->
                req.send(
                    new JsonObject()
                        .put("prompt", "hi")
                        .put("max_tokens", 50)
                        .put("stream", true)
                        .encode()))
        .onSuccess(
            response -> {
              response.handler(b -> pieces.add(b.toString()));
              response.exceptionHandler(e -> outcome.tryComplete(response.statusCode()));
              response.endHandler(v -> outcome.tryFail("stream ended normally"));
            })
        .onFailure(outcome::tryFail);

    assertThat(join(outcome.future())).isEqualTo(200);
    String received = String.join("", pieces);
    assertThat(received.split("\n\n")).hasSize(2);
    assertThat(received).doesNotContain("[DONE]");
    join(http.close());
  }

  @Test
  void slowStartIsNotReady() throws Exception {
    setFaults(new JsonObject().put("slowStartSeconds", 3600));

    assertThat(get("/health").statusCode()).isEqualTo(503);
    assertThat(post("/v1/completions", "{\"prompt\":\"hi\"}").statusCode()).isEqualTo(503);
    setFaults(new JsonObject().put("slowStartSeconds", 0));
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void faultsComeFromTheOptionsToo() throws Exception {
    SimulatorServer faulty =
        join(
            SimulatorServer.start(
                vertx, new SimulatorOptions().setFaults(new JsonObject().put("errorRate", 1.0))));
    try {
      var response =
          join(
              client
                  .post(faulty.port(), "127.0.0.1", "/v1/completions")
                  .sendBuffer(Buffer.buffer("{\"prompt\":\"hi\"}")));
      assertThat(response.statusCode()).isEqualTo(500);
    } finally {
      join(faulty.close());
    }
  }
}
