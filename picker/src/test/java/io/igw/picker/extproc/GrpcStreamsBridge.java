package io.igw.picker.extproc;

import io.igw.picker.testing.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Set;

/** Drives one {@link EppExchange} directly (what the pick API cannot send: the subset hint). */
final class GrpcStreamsBridge {
  record Result(EppExchange exchange, BridgeAnswer answer) {}

  private GrpcStreamsBridge() {}

  static Result pick(Vertx vertx, int port, Set<String> subset) {
    EppExchange exchange = new EppExchange(vertx);
    EppChannels channels = new EppChannels(vertx, null);
    BridgeAnswer answer =
        Await.result(
            exchange.pick(
                channels.client(EppTls.INSECURE_SKIP_VERIFY),
                new EppTarget("127.0.0.1", port, EppTls.INSECURE_SKIP_VERIFY),
                new EppExchange.Request(
                    "POST",
                    "/v1/completions",
                    MultiMap.caseInsensitiveMultiMap(),
                    Buffer.buffer("{\"model\":\"base\"}"),
                    "subset-1",
                    subset),
                5000));
    return new Result(exchange, answer);
  }
}
