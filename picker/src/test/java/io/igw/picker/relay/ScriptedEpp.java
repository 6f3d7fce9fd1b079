package io.igw.picker.relay;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.picker.extproc.ExtProcMessages;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A foreign EPP over h2c gRPC that picks the first endpoint of the subset hint and answers the
 * response phase as told ({@link Behaviour}); it records, per {@code x-request-id}, each response
 * phase it saw: the served endpoint, the response headers and the response body up to its
 * end_of_stream.
 */
final class ScriptedEpp {
  /** What the EPP does with the response headers. */
  enum Behaviour {
    /** Answers with {@link #MUTATION}. */
    MUTATES,
    /** Never answers them. */
    SILENT,
    /** Resets the stream. */
    BREAKS
  }

  /** One response phase as the EPP saw it. */
  static final class Seen {
    final String served;
    final MultiMap headers;
    final Buffer body = Buffer.buffer();
    volatile boolean bodyEnded;

    Seen(String served, MultiMap headers) {
      this.served = served;
      this.headers = headers;
    }
  }

  /**
   * Sets {@code x-epp-served} to the served endpoint and {@code x-replaced}, appends to {@code
   * x-multi}, removes {@code x-remove-me}; and tries what must be skipped: framing, hop-by-hop and
   * the relay's own header.
   */
  static HeaderMutation mutation(String served) {
    return HeaderMutation.newBuilder()
        .addSetHeaders(ExtProcMessages.header("x-epp-served", served))
        .addSetHeaders(ExtProcMessages.header("x-replaced", "by-epp"))
        .addSetHeaders(appended("x-multi", "two"))
        .addRemoveHeaders("x-remove-me")
        .addSetHeaders(ExtProcMessages.header("content-length", "1"))
        .addSetHeaders(ExtProcMessages.header("transfer-encoding", "chunked"))
        .addSetHeaders(ExtProcMessages.header("connection", "close"))
        .addSetHeaders(ExtProcMessages.header("x-igw-relay-served", "127.0.0.1:1"))
        .addSetHeaders(ExtProcMessages.header("x-bad-value", "a\r\nx-injected: yes"))
        .build();
  }

  private static HeaderValueOption appended(String name, String value) {
    return ExtProcMessages.header(name, value).toBuilder()
        .setAppend(com.google.protobuf.BoolValue.of(true))
        .build();
  }

  private final Behaviour behaviour;
  private final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
  private HttpServer server;

  private ScriptedEpp(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  static Future<ScriptedEpp> start(Vertx vertx, Behaviour behaviour) {
    ScriptedEpp epp = new ScriptedEpp(behaviour);
    epp.server =
        vertx
            .createHttpServer()
            .requestHandler(
                GrpcServer.server(vertx).callHandler(ExtProcMessages.SERVER_PROCESS, epp::handle));
    return epp.server.listen(0, "127.0.0.1").map(s -> epp);
  }

  int port() {
    return server.actualPort();
  }

  /** The response phases seen for one request, in order. */
  List<Seen> seen(String requestId) {
    return List.copyOf(seen.getOrDefault(requestId, List.of()));
  }

  private void handle(GrpcServerRequest<ProcessingRequest, ProcessingResponse> call) {
    String[] requestId = new String[1];
    String[] picked = new String[1];
    Seen[] current = new Seen[1];
    Buffer requestBody = Buffer.buffer();
    call.handler(
        m -> {
          switch (m.getRequestCase()) {
            case REQUEST_HEADERS -> {
              requestId[0] =
                  ExtProcMessages.headers(m.getRequestHeaders().getHeaders()).get("x-request-id");
              picked[0] = ExtProcMessages.subsetHint(m.getMetadataContext()).iterator().next();
              if (m.getRequestHeaders().getEndOfStream()) {
                call.response().write(ExtProcMessages.picked(picked[0], Map.of(), List.of()));
              }
            }
            case REQUEST_BODY -> {
              requestBody.appendBytes(m.getRequestBody().getBody().toByteArray());
              if (m.getRequestBody().getEndOfStream()) {
                call.response().write(ExtProcMessages.picked(picked[0], Map.of(), List.of()));
                ExtProcMessages.requestBody(requestBody).forEach(call.response()::write);
              }
            }
            case RESPONSE_HEADERS -> {
              current[0] =
                  new Seen(
                      ExtProcMessages.servedEndpoint(m.getMetadataContext()),
                      ExtProcMessages.headers(m.getResponseHeaders().getHeaders()));
              seen.computeIfAbsent(String.valueOf(requestId[0]), k -> new CopyOnWriteArrayList<>())
                  .add(current[0]);
              switch (behaviour) {
                case MUTATES ->
                    call.response()
                        .write(
                            ProcessingResponse.newBuilder()
                                .setResponseHeaders(
                                    HeadersResponse.newBuilder()
                                        .setResponse(
                                            CommonResponse.newBuilder()
                                                .setHeaderMutation(mutation(current[0].served))))
                                .build());
                case BREAKS -> call.response().cancel();
                case SILENT -> {}
              }
            }
            case RESPONSE_BODY -> {
              current[0].body.appendBytes(m.getResponseBody().getBody().toByteArray());
              current[0].bodyEnded = m.getResponseBody().getEndOfStream();
              if (behaviour == Behaviour.MUTATES) {
                call.response().write(ExtProcMessages.proceed(m.getRequestCase()));
              }
            }
            default -> call.response().write(ExtProcMessages.proceed(m.getRequestCase()));
          }
        });
    call.endHandler(v -> call.response().end());
    call.exceptionHandler(e -> {});
  }

  Future<Void> close() {
    return server.close();
  }
}
