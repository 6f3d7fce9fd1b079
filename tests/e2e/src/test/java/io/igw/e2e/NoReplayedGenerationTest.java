package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.net.TestPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fallback to the next endpoint of a pick only when the server sent no response header, through
 * real NGINX: a 502/504 a server answers reaches the client as it is (the generation may have run:
 * it is never replayed), a server that closes before answering or refuses the connection is
 * replaced by the next one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoReplayedGenerationTest {
  private static final String ANSWERS_ERROR = GatewayStack.serverIp(0);
  private static final String CLOSES = GatewayStack.serverIp(1);
  private static final String SERVES = GatewayStack.serverIp(2);
  private static final String REFUSES = GatewayStack.serverIp(3);
  private static final String STATUS_HEADER = "x-test-answer-status";

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger errorAnswers = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private StandInPicker picker;
  private GatewayStack stack;
  private int port;

  @BeforeAll
  void start() throws Exception {
    picker = await(StandInPicker.start(vertx));
    port = TestPorts.take();
    await(
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            b -> {
                              errorAnswers.incrementAndGet();
                              request
                                  .response()
                                  .setStatusCode(Integer.parseInt(request.getHeader(STATUS_HEADER)))
                                  .putHeader("content-type", "application/json")
                                  .putHeader("x-igw-served-by", "error-answer")
                                  .end(
                                      "{\"error\":{\"message\":\"engine failed mid-generation\",\"type\":\"server_error\",\"code\":\"x\"}}");
                            }))
            .listen(port, ANSWERS_ERROR));
    await(
        vertx
            .createHttpServer()
            .requestHandler(request -> request.connection().close())
            .listen(port, CLOSES));
    await(
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            b -> {
                              served.incrementAndGet();
                              request
                                  .response()
                                  .putHeader("x-igw-served-by", "serves")
                                  .end("{\"ok\":true}");
                            }))
            .listen(port, SERVES));
    stack =
        GatewayStack.start(
            new GatewayStack.Options()
                .loras(List.of(List.of(), List.of(), List.of(), List.of()))
                .pickerAt(picker.port())
                .externalServers(port));
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
    vertx.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {502, 504})
  void aServersErrorAnswerGoesToTheClientAsItIs(int status) throws Exception {
    picker.answer(ANSWERS_ERROR + ":" + port + "," + SERVES + ":" + port);
    int servedBefore = served.get();
    int errorsBefore = errorAnswers.get();
    HttpResponse<String> response =
        Http.post(
            stack.gatewayPort(),
            "/v1/completions",
            Http.completion("m", 1),
            Map.of(STATUS_HEADER, Integer.toString(status)));
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(Http.servedBy(response)).isEqualTo("error-answer");
    assertThat(Http.openAiError(response).getString("message"))
        .isEqualTo("engine failed mid-generation");
    assertThat(errorAnswers.get()).isEqualTo(errorsBefore + 1);
    assertThat(served.get()).as("the next endpoint was never asked").isEqualTo(servedBefore);
  }

  @ParameterizedTest
  @ValueSource(strings = {"closes", "refuses"})
  void noResponseHeaderMeansTheNextEndpointServes(String failure) throws Exception {
    String first = failure.equals("closes") ? CLOSES : REFUSES;
    picker.answer(first + ":" + port + "," + SERVES + ":" + port);
    int servedBefore = served.get();
    HttpResponse<String> response =
        Http.post(stack.gatewayPort(), "/v1/completions", Http.completion("m", 1));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Http.servedBy(response)).isEqualTo("serves");
    assertThat(served.get()).isEqualTo(servedBefore + 1);
    assertThat(stack.errorLog())
        .contains("endpoint failed, trying next endpoint=" + first + ":" + port);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
