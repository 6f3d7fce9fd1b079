package io.igw.picker.tokens;

import io.igw.api.net.LoopbackOnly;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Asks a model server for a request's token ids, as llm-d's token producer does: {@code POST
 * /v1/chat/completions/render} (chat) or {@code /v1/completions/render} with the request's body;
 * vLLM answers the request it would run, {@code {"token_ids": [...]}} (completions: a list of
 * those, one per prompt). Keep-alive connections, a few per server; the loopback guard is asked
 * before any address is dialled. A failure (refused address, connection error, status other than
 * 200, an answer without token ids) fails the future; the caller bounds the wait.
 */
public final class RenderClient {
  public static final String CHAT_PATH = "/v1/chat/completions/render";
  public static final String COMPLETIONS_PATH = "/v1/completions/render";

  private final HttpClientAgent client;
  private final long timeoutMillis;

  public RenderClient(Vertx vertx, long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.max(1, timeoutMillis)),
            new PoolOptions().setHttp1MaxSize(4).setMaxWaitQueueSize(64));
  }

  /** The token ids of {@code body} as the server at {@code ip:port} renders it. */
  public Future<int[]> render(String ip, int port, boolean chat, JsonObject body) {
    if (!LoopbackOnly.allows(ip, port, "render")) {
      return Future.failedFuture(new IllegalStateException("render refused: " + ip + ":" + port));
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(ip)
            .setPort(port)
            .setURI(chat ? CHAT_PATH : COMPLETIONS_PATH)
            .setIdleTimeout(timeoutMillis)
            .putHeader("content-type", "application/json");
    Buffer payload = body.toBuffer();
    return client
        .request(request)
        .compose(r -> r.send(payload))
        .compose(
            response ->
                response.statusCode() == 200
                    ? response.body()
                    : Future.failedFuture(
                        new IllegalStateException("render answered " + response.statusCode())))
        .map(RenderClient::tokenIds);
  }

  /** The first {@code token_ids} of an answer (an object, or a list of them). */
  static int[] tokenIds(Buffer answer) {
    Object value = Json.decodeValue(answer);
    if (value instanceof JsonArray list && !list.isEmpty()) {
      value = list.getValue(0);
    }
    if (!(value instanceof JsonObject object)
        || !(object.getValue("token_ids") instanceof JsonArray ids)) {
      throw new IllegalStateException("render answer without token_ids");
    }
    int[] out = new int[ids.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(ids.getValue(i) instanceof Number n)
          || n.longValue() < 0
          || n.longValue() > Integer.MAX_VALUE) {
        throw new IllegalStateException("render answer with a token id that is not one");
      }
      out[i] = n.intValue();
    }
    return out;
  }

  public Future<Void> close() {
    return client.close();
  }
}
