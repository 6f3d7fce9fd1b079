package io.igw.simulator.http;

import io.igw.simulator.engine.GenerationResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON bodies and SSE chunks of OpenAI completions and chat completions, in vLLM's shapes. */
public final class ResponseBodies {

  private final RequestKind kind;
  private final String id;
  private final String model;
  private final long created;
  private final boolean promptTokensDetails;

  /**
   * @param promptTokensDetails whether usage reports cached prompt tokens (vLLM's
   *     --enable-prompt-tokens-details)
   */
  public ResponseBodies(
      RequestKind kind, String id, String model, long created, boolean promptTokensDetails) {
    this.kind = kind;
    this.id = id;
    this.model = model;
    this.created = created;
    this.promptTokensDetails = promptTokensDetails;
  }

  public JsonObject complete(String text, GenerationResult result) {
    JsonObject choice = new JsonObject().put("index", 0);
    if (kind == RequestKind.CHAT) {
      choice.put(
          "message",
          new JsonObject()
              .put("role", "assistant")
              .put("content", text)
              .put("tool_calls", new JsonArray()));
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs").put("finish_reason", result.finishReason()).putNull("stop_reason");
    return header(kind.object())
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage(result));
  }

  /** The first chat chunk, which carries only the role. */
  public JsonObject roleChunk() {
    return chunk(new JsonObject().put("role", "assistant").put("content", ""), null);
  }

  public JsonObject tokenChunk(String text, String finishReason) {
    JsonObject delta = kind == RequestKind.CHAT ? new JsonObject().put("content", text) : null;
    return kind == RequestKind.CHAT ? chunk(delta, finishReason) : textChunk(text, finishReason);
  }

  public JsonObject usageChunk(GenerationResult result) {
    return header(kind.chunkObject()).put("choices", new JsonArray()).put("usage", usage(result));
  }

  public JsonObject usage(GenerationResult result) {
    JsonObject usage =
        new JsonObject()
            .put("prompt_tokens", result.promptTokens())
            .put("total_tokens", result.promptTokens() + result.completionTokens())
            .put("completion_tokens", result.completionTokens());
    return promptTokensDetails
        ? usage.put(
            "prompt_tokens_details", new JsonObject().put("cached_tokens", result.cachedTokens()))
        : usage.putNull("prompt_tokens_details");
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    JsonObject choice =
        new JsonObject()
            .put("index", 0)
            .put("delta", delta)
            .putNull("logprobs")
            .put("finish_reason", finishReason);
    return header(kind.chunkObject()).put("choices", new JsonArray().add(choice));
  }

  private JsonObject textChunk(String text, String finishReason) {
    JsonObject choice =
        new JsonObject()
            .put("index", 0)
            .put("text", text)
            .putNull("logprobs")
            .put("finish_reason", finishReason)
            .putNull("stop_reason");
    return header(kind.chunkObject()).put("choices", new JsonArray().add(choice));
  }

  private JsonObject header(String object) {
    return new JsonObject()
        .put("id", id)
        .put("object", object)
        .put("created", created)
        .put("model", model);
  }
}
