package io.igw.simulator.http;

import io.igw.simulator.tokens.PromptRenderer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * vLLM's tokenizer endpoints, answered with the same tokenizer and chat template the engine's
 * requests go through: {@code POST /v1/completions/render} and {@code /v1/chat/completions/render}
 * (the GenerateRequest a request would become: {@code token_ids} and its sampling parameters;
 * completions answer a list, one per prompt), {@code POST /tokenize} ({@code count, max_model_len,
 * tokens, token_strs}) and {@code POST /detokenize} ({@code prompt}).
 */
final class RenderHandler {

  private final ServerState state;

  RenderHandler(ServerState state) {
    this.state = state;
  }

  void handleCompletionRender(RoutingContext ctx) {
    JsonObject body = InferenceRequestParser.decode(ctx.body().buffer());
    checkModel(body);
    JsonArray out = new JsonArray();
    if (body.getValue("prompt") instanceof JsonArray prompts
        && !prompts.isEmpty()
        && prompts.getValue(0) instanceof String) {
      for (Object prompt : prompts) {
        out.add(render(RequestKind.COMPLETION, body.copy().put("prompt", prompt)));
      }
    } else {
      out.add(render(RequestKind.COMPLETION, body));
    }
    json(ctx, out.encode());
  }

  void handleChatRender(RoutingContext ctx) {
    JsonObject body = InferenceRequestParser.decode(ctx.body().buffer());
    checkModel(body);
    json(ctx, render(RequestKind.CHAT, body).encode());
  }

  void handleTokenize(RoutingContext ctx) {
    JsonObject body = InferenceRequestParser.decode(ctx.body().buffer());
    checkModel(body);
    RequestKind kind = body.containsKey("messages") ? RequestKind.CHAT : RequestKind.COMPLETION;
    int[] ids = InferenceRequestParser.parse(kind, body).tokenIds(state.renderer);
    JsonObject out =
        new JsonObject()
            .put("count", ids.length)
            .put("max_model_len", maxModelLen())
            .put("tokens", toJson(ids));
    if (Boolean.TRUE.equals(body.getValue("return_token_strs"))) {
      JsonArray strings = new JsonArray();
      for (int id : ids) {
        strings.add(state.renderer.tokenizer().decode(new int[] {id}));
      }
      out.put("token_strs", strings);
    } else {
      out.putNull("token_strs");
    }
    json(ctx, out.encode());
  }

  void handleDetokenize(RoutingContext ctx) {
    JsonObject body = InferenceRequestParser.decode(ctx.body().buffer());
    checkModel(body);
    if (!(body.getValue("tokens") instanceof JsonArray tokens)) {
      throw ApiError.badRequest("'tokens' is required: a list of token ids.");
    }
    int[] ids = new int[tokens.size()];
    for (int i = 0; i < ids.length; i++) {
      if (!(tokens.getValue(i) instanceof Number n)
          || n.longValue() < 0
          || n.longValue() > Integer.MAX_VALUE) {
        throw ApiError.badRequest("'tokens' must be a list of non-negative token ids.");
      }
      ids[i] = n.intValue();
    }
    String text;
    try {
      text = state.renderer.tokenizer().decode(ids);
    } catch (RuntimeException e) {
      throw ApiError.badRequest("Cannot detokenize: " + e.getMessage());
    }
    json(ctx, new JsonObject().put("prompt", text).encode());
  }

  private JsonObject render(RequestKind kind, JsonObject body) {
    InferenceRequest request = InferenceRequestParser.parse(kind, body);
    PromptRenderer renderer = state.renderer;
    JsonObject sampling =
        new JsonObject()
            .put("max_tokens", request.maxTokens())
            .put("min_tokens", request.minTokens())
            .put("ignore_eos", request.ignoreEos())
            .put("seed", request.seed());
    return new JsonObject()
        .put("request_id", UUID.randomUUID().toString())
        .put("token_ids", toJson(request.tokenIds(renderer)))
        .putNull("features")
        .put("sampling_params", sampling)
        .put("model", request.model() == null ? state.served.baseModel() : request.model())
        .put("stream", request.stream())
        .putNull("stream_options")
        .put("cache_salt", body.getValue("cache_salt") instanceof String salt ? salt : null)
        .put("priority", body.getValue("priority") instanceof Number p ? p.intValue() : 0)
        .putNull("kv_transfer_params");
  }

  private void checkModel(JsonObject body) {
    if (body.getValue("model") instanceof String model && !state.served.serves(model)) {
      throw ApiError.modelNotFound(model);
    }
  }

  private int maxModelLen() {
    return state.engine.config().numGpuBlocks() * state.engine.config().blockSize();
  }

  private static JsonArray toJson(int[] ids) {
    JsonArray out = new JsonArray();
    for (int id : ids) {
      out.add(id);
    }
    return out;
  }

  private static void json(RoutingContext ctx, String body) {
    ctx.response().putHeader("content-type", "application/json").end(body);
  }
}
