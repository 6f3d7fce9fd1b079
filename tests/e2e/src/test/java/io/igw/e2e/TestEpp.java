package io.igw.e2e;

import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.igw.api.net.TestPorts;
import io.igw.api.testing.TestCertificates;
import io.igw.picker.extproc.ExtProcMessages;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the conformance suite's test EPP, with the reference EPP's edges. Serves ext_proc
 * over TLS with a self-signed certificate (and gRPC health); never answers before the body's
 * end_of_stream; picks round-robin among its endpoints (within the subset hint, the pool's
 * endpoints) restricted by the request header {@code test-epp-endpoint-selection: ip|ip:port[,…]};
 * answers the destination header + the same metadata + {@code X-Echo-Set-Header:
 * x-conformance-test-served-endpoint:request-phase} (the echo backend then answers that header with
 * {@value #REQUEST_PHASE}) and the body back in 62,000-byte chunks; in the response phase it sets
 * {@code x-conformance-test-served-endpoint} to the served endpoint of the metadata, so a client
 * sees {@code ip:port} only when the gateway applies response-phase mutations. Like the reference
 * EPP: 400 for a body that is not JSON, 503 when no endpoint is eligible, 429 for objective {@code
 * sheddable} while saturated.
 */
final class TestEpp {
  private static final TestCertificates.Pem CERT = TestCertificates.selfSigned("test-epp");
  static final String SELECTION_HEADER = "test-epp-endpoint-selection";
  static final String SERVED_HEADER = "x-conformance-test-served-endpoint";

  /** What the request phase makes the echo backend answer in {@link #SERVED_HEADER}. */
  static final String REQUEST_PHASE = "request-phase";

  private final List<String> endpoints = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final List<String> served = new CopyOnWriteArrayList<>();
  private final List<Set<String>> subsets = new CopyOnWriteArrayList<>();
  private volatile boolean saturated;
  private volatile boolean ignoresSubsetHint;
  private Vertx vertx;
  private HttpServer server;
  private int port;

  static Future<TestEpp> start(Vertx vertx, List<String> endpoints) {
    TestEpp epp = new TestEpp();
    epp.vertx = vertx;
    epp.endpoints.addAll(endpoints);
    return epp.listen(TestPorts.take())
        .map(s -> epp); // revive() listens there again: the port stays ours meanwhile
  }

  private Future<HttpServer> listen(int wanted) {
    GrpcServer grpc =
        GrpcServer.server(vertx).callHandler(ExtProcMessages.SERVER_PROCESS, this::handle);
    grpc.addService(
        HealthService.create(vertx)
            .register("liveness", () -> Future.succeededFuture(true))
            .register("readiness", () -> Future.succeededFuture(true)));
    HttpServerOptions tls =
        new HttpServerOptions()
            .setSsl(true)
            .setUseAlpn(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(CERT.cert().toString())
                    .setKeyPath(CERT.key().toString()));
    server = vertx.createHttpServer(tls).requestHandler(grpc);
    return server.listen(wanted, "127.0.0.1").onSuccess(s -> port = s.actualPort());
  }

  int port() {
    return port;
  }

  /**
   * Kills the EPP like a Service losing its endpoints: the port refuses connections, open streams
   * are cut.
   */
  Future<Void> kill() {
    return server.close();
  }

  /** Serves again on the same port after {@link #kill}. */
  Future<Void> revive() {
    return listen(port).mapEmpty();
  }

  /** Served endpoints reported in response phases, in order. */
  List<String> served() {
    return List.copyOf(served);
  }

  List<Set<String>> subsets() {
    return List.copyOf(subsets);
  }

  /**
   * Misbehaves like a buggy EPP: picks among all its endpoints whatever subset hint the gateway
   * sent.
   */
  void setIgnoresSubsetHint(boolean ignores) {
    this.ignoresSubsetHint = ignores;
  }

  void setSaturated(boolean saturated) {
    this.saturated = saturated;
  }

  Future<Void> close() {
    return server.close();
  }

  private void handle(GrpcServerRequest<ProcessingRequest, ProcessingResponse> call) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    Buffer body = Buffer.buffer();
    Set<String>[] subset = new Set[1];
    call.handler(
        m -> {
          switch (m.getRequestCase()) {
            case REQUEST_HEADERS -> {
              headers.addAll(ExtProcMessages.headers(m.getRequestHeaders().getHeaders()));
              subset[0] =
                  m.hasMetadataContext()
                      ? ExtProcMessages.subsetHint(m.getMetadataContext())
                      : null;
              if (m.getRequestHeaders().getEndOfStream()) {
                answer(call, headers, null, subset[0]).forEach(call.response()::write);
              }
            }
            case REQUEST_BODY -> {
              body.appendBytes(m.getRequestBody().getBody().toByteArray());
              if (m.getRequestBody().getEndOfStream()) {
                answer(call, headers, body, subset[0]).forEach(call.response()::write);
              }
            }
            case RESPONSE_HEADERS -> {
              String endpoint = ExtProcMessages.servedEndpoint(m.getMetadataContext());
              if (endpoint != null) {
                served.add(endpoint);
              }
              call.response()
                  .write(
                      ProcessingResponse.newBuilder()
                          .setResponseHeaders(
                              HeadersResponse.newBuilder()
                                  .setResponse(
                                      CommonResponse.newBuilder()
                                          .setHeaderMutation(
                                              HeaderMutation.newBuilder()
                                                  .addSetHeaders(
                                                      ExtProcMessages.header(
                                                          SERVED_HEADER,
                                                          endpoint == null ? "" : endpoint)))))
                          .build());
            }
            default -> call.response().write(ExtProcMessages.proceed(m.getRequestCase()));
          }
        });
    call.endHandler(v -> call.response().end());
    call.exceptionHandler(e -> {});
  }

  private List<ProcessingResponse> answer(
      GrpcServerRequest<ProcessingRequest, ProcessingResponse> call,
      MultiMap headers,
      Buffer body,
      Set<String> subset) {
    if (subset != null) {
      subsets.add(subset);
    }
    if (body != null && body.length() > 0 && !isJsonObject(body)) {
      return List.of(
          ExtProcMessages.immediate(
              400,
              error(
                  "the request body is not valid JSON",
                  "invalid_request_error",
                  "invalid_request_error")));
    }
    if (saturated && "sheddable".equals(headers.get("x-gateway-inference-objective"))) {
      return List.of(
          ExtProcMessages.immediate(
              429,
              error(
                  "saturated; sheddable request refused",
                  "rate_limit_error",
                  "rate_limit_exceeded")));
    }
    List<String> eligible =
        eligible(headers.get(SELECTION_HEADER), ignoresSubsetHint ? null : subset);
    if (eligible.isEmpty()) {
      return List.of(
          ExtProcMessages.immediate(
              503, error("no eligible endpoint", "service_unavailable", "service_unavailable")));
    }
    String endpoint = eligible.get(Math.floorMod(next.getAndIncrement(), eligible.size()));
    List<ProcessingResponse> out = new ArrayList<>();
    Map<String, String> set = new java.util.LinkedHashMap<>();
    set.put(EchoServer.SET_HEADER, SERVED_HEADER + ":" + REQUEST_PHASE);
    if (body != null) {
      set.put("content-length", Integer.toString(body.length()));
    }
    out.add(ExtProcMessages.picked(endpoint, set, List.of()));
    if (body != null) {
      out.addAll(ExtProcMessages.requestBody(body));
    }
    return out;
  }

  private List<String> eligible(String selection, Set<String> subset) {
    List<String> out = new ArrayList<>();
    if (selection != null && !selection.isBlank()) {
      for (String token : selection.split(",")) {
        for (String e : endpoints) {
          String t = token.trim();
          if ((e.equals(t) || e.startsWith(t + ":"))
              && (subset == null || subset.contains(e))
              && !out.contains(e)) {
            out.add(e);
          }
        }
      }
      return out;
    }
    for (String e : endpoints) {
      if (subset == null || subset.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }

  private static boolean isJsonObject(Buffer body) {
    try {
      return body.toJsonValue() instanceof JsonObject;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Buffer error(String message, String type, String code) {
    return new JsonObject()
        .put(
            "error",
            new JsonObject()
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", code))
        .toBuffer();
  }
}
