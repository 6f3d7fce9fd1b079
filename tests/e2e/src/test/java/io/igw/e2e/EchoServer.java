package io.igw.e2e;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A backend like the conformance suite's echo server: answers with the request it received, as JSON ({@code pod},
 * {@code path}, {@code method}, {@code headers}, {@code httpPort}, {@code protocol}: HTTP/1.1 or HTTP/2 — it speaks
 * both, HTTP/2 cleartext with prior knowledge included). It sets every response header named in the request header
 * {@code X-Echo-Set-Header: name:value[,name:value]}.
 */
final class EchoServer {
  static final String SET_HEADER = "X-Echo-Set-Header";

  private EchoServer() {}

  static Future<HttpServer> start(Vertx vertx, String host, int port, String name) {
    return vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          JsonObject headers = new JsonObject();
          request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
          JsonObject answer = new JsonObject()
              .put("pod", name)
              .put("path", request.uri())
              .put("method", request.method().name())
              .put("headers", headers)
              .put("httpPort", request.localAddress().port())
              .put("protocol", request.version().alpnName())
              .put("body", body.toString());
          setHeaders(request);
          request.response()
              .putHeader("content-type", "application/json")
              .putHeader("x-igw-served-by", name)
              .end(answer.encode());
        }))
        .listen(port, host);
  }

  private static void setHeaders(HttpServerRequest request) {
    for (String value : request.headers().getAll(SET_HEADER)) {
      for (String item : value.split(",")) {
        int colon = item.indexOf(':');
        if (colon > 0) {
          request.response().putHeader(item.substring(0, colon).trim(), item.substring(colon + 1).trim());
        }
      }
    }
  }
}
