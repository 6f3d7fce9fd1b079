package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.picker.PickerServer;
import io.igw.picker.flowcontrol.FlowControlOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flow control on the ext_proc server (flag {@code --flow-control}, no config file): queue,
 * dispatch, cancel.
 */
class FlowControlExtProcTest {
  static Vertx vertx;
  static StubModelServer server;
  static PickerServer picker;
  static GrpcClient client;
  static PickClient http;
  static io.vertx.core.Context context;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0))
            .setMetrics(StubModelServer.vllmMetrics(10, 4, 0.5));
    String yaml = Manifests.pool("p", server.port()) + Manifests.pod("p-0", "p", "127.0.0.1", true);
    picker =
        Await.result(
            PickerServer.start(
                vertx,
                ExtProcPickers.options(yaml)
                    .setFlowControl(new FlowControlOptions().setEnabled(true))));
    client = GrpcStreams.tlsClient(vertx);
    context = vertx.getOrCreateContext();
    http = new PickClient(vertx, picker.port());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                http.send(
                        HttpMethod.GET,
                        "/debug/pools",
                        Buffer.buffer(),
                        MultiMap.caseInsensitiveMultiMap())
                    .body()
                    .toString()
                    .contains("\"waiting\":10"));
  }

  @AfterAll
  static void stop() {
    Await.result(picker.close());
    Await.result(vertx.close());
  }

  static double queued() {
    String text =
        http.send(HttpMethod.GET, "/metrics", Buffer.buffer(), MultiMap.caseInsensitiveMultiMap())
            .body()
            .toString();
    Matcher m =
        Pattern.compile("(?m)^inference_extension_flow_control_queue_size\\{[^}]*\\} (\\S+)$")
            .matcher(text);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /**
   * Opens a stream and sends the request phase without half-closing (Envoy waits for the answer).
   */
  static GrpcClientRequest<ProcessingRequest, ProcessingResponse> open(
      List<ProcessingResponse> answers) {
    io.vertx.core.Promise<GrpcClientRequest<ProcessingRequest, ProcessingResponse>> opened =
        io.vertx.core.Promise.promise();
    context.runOnContext(
        v ->
            client
                .request(
                    SocketAddress.inetSocketAddress(picker.extProcPort(), "127.0.0.1"),
                    ExtProcMessages.CLIENT_PROCESS)
                .map(
                    req -> {
                      req.write(
                          ExtProcServerTest.headers(
                              false, "x-request-id", "fc-" + System.nanoTime()));
                      req.write(
                          ExtProcServerTest.body("{\"model\":\"base\",\"prompt\":\"hi\"}", true));
                      req.response().onSuccess(resp -> resp.handler(answers::add));
                      return req;
                    })
                .onComplete(opened));
    return Await.result(opened.future());
  }

  @Test
  void aQueuedStreamIsAnsweredWhenThePoolHasRoomAndACancelledOneLeaves() {
    List<ProcessingResponse> cancelledAnswers = new CopyOnWriteArrayList<>();
    GrpcClientRequest<ProcessingRequest, ProcessingResponse> cancelled = open(cancelledAnswers);
    await().atMost(Duration.ofSeconds(5)).until(() -> queued() == 1);
    context.runOnContext(v -> cancelled.cancel());
    await().atMost(Duration.ofSeconds(5)).until(() -> queued() == 0);

    List<ProcessingResponse> answers = new CopyOnWriteArrayList<>();
    GrpcClientRequest<ProcessingRequest, ProcessingResponse> waiting = open(answers);
    await().atMost(Duration.ofSeconds(5)).until(() -> queued() == 1);
    assertThat(answers).isEmpty();
    server.setMetrics(StubModelServer.vllmMetrics(0, 4, 0.5));
    await().atMost(Duration.ofSeconds(5)).until(() -> !answers.isEmpty());
    assertThat(ExtProcServerTest.header(answers.get(0), ExtProcMessages.ENDPOINT_HEADER))
        .isEqualTo("127.0.0.1:" + server.port());
    assertThat(cancelledAnswers).isEmpty();
    context.runOnContext(v -> waiting.end());
  }
}
