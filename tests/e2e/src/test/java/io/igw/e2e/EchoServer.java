package io.igw.e2e;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

/**
 * A backend like the conformance suite's echo server: answers with the request it received, as JSON
 * ({@code pod}, {@code path}, {@code method}, {@code headers}, {@code httpPort}, {@code protocol}:
 * HTTP/1.1 or HTTP/2). A port speaks both protocols (HTTP/2 cleartext with prior knowledge
 * included), or only one, like the suite's appProtocol backend (HTTP/1.1 only on 3000, h2c only on
 * 3001): an HTTP/1.1-only port cannot read an HTTP/2 preface, an h2c-only port closes the
 * connection of an HTTP/1.1 request unanswered. It sets every response header named in the request
 * header {@code X-Echo-Set-Header: name:value[,name:value]}. A request with {@code X-Echo-Stream:
 * <gate>} gets server-sent events instead: {@code data: 1}, then {@code data: 2} once the test
 * {@link #open opens} that gate, then the end.
 */
final class EchoServer {
  static final String SET_HEADER = "X-Echo-Set-Header";
  static final String STREAM_HEADER = "X-Echo-Stream";
  private static final java.util.Map<String, io.vertx.core.Promise<Void>> GATES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** What one port speaks. */
  enum Protocol {
    BOTH,
    HTTP1_ONLY,
    H2C_ONLY
  }

  private EchoServer() {}

  static Future<HttpServer> start(Vertx vertx, String host, int port, String name) {
    return start(vertx, host, port, name, Protocol.BOTH);
  }

  static Future<HttpServer> start(
      Vertx vertx, String host, int port, String name, Protocol protocol) {
    HttpServerOptions options =
        new HttpServerOptions().setHttp2ClearTextEnabled(protocol != Protocol.HTTP1_ONLY);
    return vertx
        .createHttpServer(options)
        .requestHandler(
            request -> {
              if (protocol == Protocol.H2C_ONLY && request.version() != HttpVersion.HTTP_2) {
                request.connection().close();
                return;
              }
              if (request.getHeader(STREAM_HEADER) != null) {
                request.body().onSuccess(body -> stream(request, request.getHeader(STREAM_HEADER)));
                return;
              }
              request.body().onSuccess(body -> answer(request, name, body.toString()));
            })
        .listen(port, host);
  }

  private static void answer(HttpServerRequest request, String name, String body) {
    JsonObject headers = new JsonObject();
    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
    JsonObject answer =
        new JsonObject()
            .put("pod", name)
            .put("path", request.uri())
            .put("method", request.method().name())
            .put("headers", headers)
            .put("httpPort", request.localAddress().port())
            .put("protocol", request.version().alpnName())
            .put("body", body);
    setHeaders(request);
    request
        .response()
        .putHeader("content-type", "application/json")
        .putHeader("x-igw-served-by", name)
        .end(answer.encode());
  }

  /** Lets the stream waiting on {@code gate} send its second event and end. */
  static void open(String gate) {
    GATES.computeIfAbsent(gate, g -> io.vertx.core.Promise.promise()).tryComplete();
  }

  private static void stream(HttpServerRequest request, String gate) {
    setHeaders(request);
    request
        .response()
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .write("data: 1\n\n");
    GATES
        .computeIfAbsent(gate, g -> io.vertx.core.Promise.promise())
        .future()
        .onComplete(
            v -> request.response().write("data: 2\n\n").compose(x -> request.response().end()));
  }

  private static void setHeaders(HttpServerRequest request) {
    for (String value : request.headers().getAll(SET_HEADER)) {
      for (String item : value.split(",")) {
        int colon = item.indexOf(':');
        if (colon > 0) {
          request
              .response()
              .putHeader(item.substring(0, colon).trim(), item.substring(colon + 1).trim());
        }
      }
    }
  }
}
