package io.igw.picker.extproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.pick.PickApiOptions;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EPPs that misbehave, over real h2c gRPC sockets: one that never answers (slow), one that resets
 * the stream mid-body, one whose destination header and metadata disagree, one that answers
 * something that is not ip:port, and one that is gone. Each pick ends within the deadline as {@code
 * 502} with an empty body: NGINX's cue for the pool's FailOpen / FailClose (proven through NGINX in
 * the e2e tests).
 */
class EppBridgeHostileTest {
  static final long PICK_TIMEOUT_MS = 1500;
  static Vertx vertx;
  static PickerServer gateway;
  static PickClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Map<String, Handler<GrpcServerRequest<ProcessingRequest, ProcessingResponse>>> behaviours =
        Map.of(
            "silent", call -> call.handler(m -> {}),
            "reset",
                call ->
                    call.handler(
                        m -> {
                          if (m.hasRequestBody()) {
                            call.response().cancel();
                          }
                        }),
            "disagree",
                call ->
                    call.handler(
                        m -> {
                          if (m.hasRequestBody() && m.getRequestBody().getEndOfStream()) {
                            call.response()
                                .write(
                                    ExtProcMessages.picked("127.0.10.1:8000", Map.of(), List.of())
                                        .toBuilder()
                                        .setDynamicMetadata(
                                            ExtProcMessages.lbMetadata(
                                                ExtProcMessages.ENDPOINT_HEADER, "127.0.10.2:8000"))
                                        .build());
                            ExtProcMessages.requestBody(io.vertx.core.buffer.Buffer.buffer("{}"))
                                .forEach(call.response()::write);
                          }
                        }),
            "not-an-endpoint",
                call ->
                    call.handler(
                        m -> {
                          if (m.hasRequestBody() && m.getRequestBody().getEndOfStream()) {
                            call.response()
                                .write(
                                    ExtProcMessages.picked(
                                        "evil.example.com;rm", Map.of(), List.of()));
                            ExtProcMessages.requestBody(io.vertx.core.buffer.Buffer.buffer("{}"))
                                .forEach(call.response()::write);
                          }
                        }));
    StringBuilder yaml = new StringBuilder();
    behaviours.forEach(
        (name, behaviour) -> {
          HttpServer server =
              Await.result(
                  vertx
                      .createHttpServer()
                      .requestHandler(
                          GrpcServer.server(vertx)
                              .callHandler(ExtProcMessages.SERVER_PROCESS, behaviour))
                      .listen(0, "127.0.0.1"));
          yaml.append(pool(name, server.actualPort()));
        });
    HttpServer closed =
        Await.result(vertx.createHttpServer().requestHandler(r -> {}).listen(0, "127.0.0.1"));
    yaml.append(pool("gone", closed.actualPort()));
    Await.result(closed.close());
    gateway =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(Manifests.read(yaml.toString()))
                    .setExtProc(
                        new ExtProcOptions()
                            .setEppTls(EppTls.PLAINTEXT)
                            .setPickTimeoutMs(PICK_TIMEOUT_MS))
                    .setPickApi(new PickApiOptions().setPort(0))));
    client = new PickClient(vertx, gateway.port());
  }

  static String pool(String name, int port) {
    return """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: nothing-here}}
          targetPorts: [{number: 8000}]
          endpointPickerRef: {name: epp-%s, port: {number: %d}, failureMode: FailOpen}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: epp-%s, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        ---
        """
        .formatted(name, name, port, name, port);
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.close());
    Await.result(vertx.close());
  }

  @ParameterizedTest
  @ValueSource(strings = {"silent", "reset", "disagree", "not-an-endpoint", "gone"})
  void misbehavingEppIs502WithAnEmptyBody(String pool) {
    PickClient.Answer answer =
        client.pick(
            "default/" + pool,
            "{\"model\":\"m\",\"prompt\":\"" + "z".repeat(100_000) + "\"}",
            MultiMap.caseInsensitiveMultiMap().add("x-igw-request-id", "hostile-" + pool));
    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.body().length()).isZero();
  }
}
