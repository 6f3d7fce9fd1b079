package io.igw.simulator.http;

import io.igw.simulator.engine.GenerationListener;
import io.igw.simulator.engine.GenerationRequest;
import io.igw.simulator.engine.SubmittedRequest;
import io.igw.simulator.faults.Fault;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POST /v1/completions, /v1/chat/completions and /v1/embeddings: parse, draw a fault, run on the
 * engine.
 */
final class GenerationHandler {

  private static final AtomicLong REQUEST_COUNTER = new AtomicLong();

  private final ServerState state;

  GenerationHandler(ServerState state) {
    this.state = state;
  }

  void handle(RoutingContext ctx, RequestKind kind) {
    if (!state.faults.ready()) {
      throw ApiError.unavailable("The server is still starting.");
    }
    InferenceRequest request = InferenceRequestParser.parse(kind, ctx.body().buffer());
    String model = request.model() == null ? state.served.baseModel() : request.model();
    if (!state.served.serves(model)) {
      throw ApiError.modelNotFound(model);
    }
    Fault fault = state.faults.next();
    switch (fault) {
      case ERROR -> throw ApiError.injected(state.faults.plan().errorStatus());
      case DROP -> {
        ctx.request().connection().close();
        return;
      }
      case HANG -> {
        return;
      }
      default -> run(ctx, kind, request, model, fault == Fault.CRASH);
    }
  }

  private void run(
      RoutingContext ctx, RequestKind kind, InferenceRequest request, String model, boolean crash) {
    String id =
        kind.idPrefix() + Long.toHexString(System.nanoTime()) + REQUEST_COUNTER.incrementAndGet();
    long seed = request.seed() != null ? request.seed() : state.options.getSeed() ^ id.hashCode();
    OutputLength length =
        kind == RequestKind.EMBEDDING
            ? new OutputLength(1, "stop")
            : OutputLength.of(
                request,
                state.options.getDefaultMaxTokens(),
                state.options.getNaturalOutputTokens(),
                seed);
    GenerationRequest generation =
        new GenerationRequest(
            id,
            state.served.adapterOf(model),
            request.tokenIds(state.renderer),
            length.tokens(),
            length.finishReason());
    HttpServerResponse response = ctx.response();
    GenerationListener listener = listener(response, kind, request, model, id, seed, length);
    CrashAfterTokens crashing =
        crash
            ? new CrashAfterTokens(
                listener, ctx.request().connection(), state.faults.plan().crashAfterTokens())
            : null;
    SubmittedRequest submitted;
    try {
      submitted = state.engine.submit(generation, crashing != null ? crashing : listener);
    } catch (IllegalArgumentException tooLong) {
      throw ApiError.badRequest(tooLong.getMessage());
    }
    if (crashing != null) {
      crashing.attach(submitted);
    }
    if (listener instanceof StreamingResponder streaming) {
      streaming.start();
    }
    response.closeHandler(v -> submitted.cancel());
  }

  private GenerationListener listener(
      HttpServerResponse response,
      RequestKind kind,
      InferenceRequest request,
      String model,
      String id,
      long seed,
      OutputLength length) {
    if (kind == RequestKind.EMBEDDING) {
      return new EmbeddingResponder(response, id, model, request.text());
    }
    ResponseBodies bodies =
        new ResponseBodies(
            kind,
            id,
            model,
            System.currentTimeMillis() / 1000,
            state.options.isEnablePromptTokensDetails());
    if (request.stream()) {
      return new StreamingResponder(
          response,
          bodies,
          new TokenText(seed),
          kind,
          length.tokens(),
          length.finishReason(),
          request.includeUsage());
    }
    return new BufferedResponder(response, bodies, new TokenText(seed));
  }
}
