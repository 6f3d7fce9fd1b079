package io.igw.simulator.http;

import io.igw.simulator.engine.GenerationListener;
import io.igw.simulator.engine.GenerationResult;
import io.vertx.core.http.HttpServerResponse;

/** Collects a request's tokens and answers with one JSON body when the last one is ready. */
final class BufferedResponder implements GenerationListener {

  private final HttpServerResponse response;
  private final ResponseBodies bodies;
  private final TokenText text;
  private final StringBuilder output = new StringBuilder();

  BufferedResponder(HttpServerResponse response, ResponseBodies bodies, TokenText text) {
    this.response = response;
    this.bodies = bodies;
    this.text = text;
  }

  @Override
  public void onToken(int index) {
    output.append(text.next());
  }

  @Override
  public void onFinished(GenerationResult result) {
    if (response.closed()) {
      return;
    }
    response
        .putHeader("content-type", "application/json")
        .end(bodies.complete(output.toString(), result).encode());
  }
}
