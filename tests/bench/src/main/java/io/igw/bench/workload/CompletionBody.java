package io.igw.bench.workload;

import io.vertx.core.json.JsonObject;

/**
 * The body a benchmark client sends for one request: a {@code /v1/completions} call with the
 * prompt's text, {@code max_tokens} with {@code ignore_eos} (so the answer has exactly the
 * workload's length) and SSE when the request streams. The live load generator sends it through
 * NGINX; the routing lab hands the same bytes to the picker.
 */
public final class CompletionBody {
  /** The path both send it to. */
  public static final String PATH = "/v1/completions";

  private CompletionBody() {}

  public static JsonObject of(WorkloadRequest request, String promptText) {
    JsonObject body =
        new JsonObject()
            .put("model", request.model())
            .put("prompt", promptText)
            .put("max_tokens", request.outputTokens())
            .put("ignore_eos", true)
            .put("stream", request.stream());
    if (request.stream()) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }
}
