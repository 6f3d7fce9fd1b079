package io.igw.simulator.http;

import io.igw.simulator.engine.GenerationListener;
import io.igw.simulator.engine.GenerationResult;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Writes a request's tokens as server-sent events, one chunk per token, ending with {@code data:
 * [DONE]}.
 */
final class StreamingResponder implements GenerationListener {

  private final HttpServerResponse response;
  private final ResponseBodies bodies;
  private final TokenText text;
  private final RequestKind kind;
  private final int outputTokens;
  private final String finishReason;
  private final boolean includeUsage;

  StreamingResponder(
      HttpServerResponse response,
      ResponseBodies bodies,
      TokenText text,
      RequestKind kind,
      int outputTokens,
      String finishReason,
      boolean includeUsage) {
    this.response = response;
    this.bodies = bodies;
    this.text = text;
    this.kind = kind;
    this.outputTokens = outputTokens;
    this.finishReason = finishReason;
    this.includeUsage = includeUsage;
  }

  /** Sends the status and headers at once, as vLLM does before its first token. */
  void start() {
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache");
    response.writeHead();
  }

  @Override
  public void onToken(int index) {
    if (response.closed()) {
      return;
    }
    if (index == 0 && kind == RequestKind.CHAT) {
      write(bodies.roleChunk());
    }
    boolean last = index == outputTokens - 1;
    write(bodies.tokenChunk(text.next(), last ? finishReason : null));
  }

  @Override
  public void onFinished(GenerationResult result) {
    if (response.closed()) {
      return;
    }
    if (includeUsage) {
      write(bodies.usageChunk(result));
    }
    response.end("data: [DONE]\n\n");
  }

  private void write(JsonObject chunk) {
    response.write("data: " + chunk.encode() + "\n\n");
  }
}
