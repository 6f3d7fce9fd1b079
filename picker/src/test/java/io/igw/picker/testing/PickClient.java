package io.igw.picker.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Blocking test client of the pick API. */
public final class PickClient {
  public record Answer(int status, MultiMap headers, Buffer body) {
    public String endpoint() {
      return headers.get("x-gateway-destination-endpoint");
    }

    public String firstEndpoint() {
      String all = endpoint();
      return all == null ? null : all.split(",")[0];
    }

    public JsonObject error() {
      return body.toJsonObject().getJsonObject("error");
    }
  }

  private final HttpClient client;
  private final int port;

  public PickClient(Vertx vertx, int port) {
    this.client = vertx.createHttpClient();
    this.port = port;
  }

  public Answer pick(String pool, String body) {
    return pick(pool, body, MultiMap.caseInsensitiveMultiMap());
  }

  public Answer pick(String pool, String body, MultiMap headers) {
    String uri = "/pick?pool=" + URLEncoder.encode(pool, StandardCharsets.UTF_8)
        + "&path=%2Fv1%2Fcompletions&method=POST";
    return send(HttpMethod.POST, uri, body == null ? Buffer.buffer() : Buffer.buffer(body), headers);
  }

  public Answer send(HttpMethod method, String uri, Buffer body, MultiMap headers) {
    try {
      return client.request(method, port, "127.0.0.1", uri)
          .compose(req -> {
            req.headers().addAll(headers);
            return req.send(body);
          })
          .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.headers(), b)))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
