package io.igw.e2e;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/** A backend like the conformance suite's echo server: answers with the request it received, as JSON. */
final class EchoServer {
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
              .put("body", body.toString());
          request.response()
              .putHeader("content-type", "application/json")
              .putHeader("x-igw-served-by", name)
              .end(answer.encode());
        }))
        .listen(port, host);
  }
}
