package io.igw.e2e;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small picker speaking the pick API (docs/pick-api.md) the way a buggy or hostile one could: it
 * answers every pick with the endpoints the test set, and while held it keeps picks waiting until
 * released.
 */
final class StandInPicker {
  private final AtomicInteger picks = new AtomicInteger();
  private final Queue<Promise<Void>> held = new ConcurrentLinkedQueue<>();
  private volatile String answer = "";
  private volatile boolean hold;
  private HttpServer server;

  /** Listens on a port of its own choosing on 127.0.0.1 ({@link #port()}). */
  static Future<StandInPicker> start(Vertx vertx) {
    StandInPicker picker = new StandInPicker();
    picker.server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              picker.picks.incrementAndGet();
                              String endpoints = picker.answer;
                              Promise<Void> go = Promise.promise();
                              if (picker.hold) {
                                picker.held.add(go);
                              } else {
                                go.complete();
                              }
                              go.future()
                                  .onComplete(
                                      v ->
                                          request
                                              .response()
                                              .putHeader(
                                                  "x-gateway-destination-endpoint", endpoints)
                                              .end());
                            }));
    return picker.server.listen(0, "127.0.0.1").map(s -> picker);
  }

  int port() {
    return server.actualPort();
  }

  void answer(String endpoints) {
    this.answer = endpoints;
  }

  int picks() {
    return picks.get();
  }

  int waiting() {
    return held.size();
  }

  void hold(boolean hold) {
    this.hold = hold;
  }

  void releaseAll() {
    hold = false;
    for (Promise<Void> p = held.poll(); p != null; p = held.poll()) {
      p.complete();
    }
  }

  Future<Void> close() {
    return server.close();
  }
}
