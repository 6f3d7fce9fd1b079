package io.igw.picker.ratelimit;

import io.igw.api.TokenEstimate;
import io.igw.picker.core.OpenAiParser;
import io.igw.picker.core.PickRequest;
import io.igw.picker.lifecycle.TokenUsage;
import io.vertx.core.json.JsonObject;

/**
 * What admission charges a request before it runs, as OpenAI estimates it: the prompt's tokens plus
 * the most the answer may hold. The prompt from the OpenAI parser (the bytes prefix caching hashes:
 * the prompt, or the JSON of the chat messages), {@value TokenEstimate#BYTES_PER_TOKEN} bytes a
 * token, rounded up; the answer's {@code max_completion_tokens}, else {@code max_tokens}, else
 * {@code max_output_tokens} (Responses API), times {@code n}; no such field: 0 (the answer's real
 * length is charged when it ends). Cached input is unknown at admission and counted as uncached.
 */
public record RequestEstimate(long promptTokens, long maxOutputTokens) {
  /** Past this nothing is more refused: keeps products of hostile numbers from overflowing. */
  static final long CAP = io.igw.api.ratelimit.RateLimitPolicyCheck.MAX_AMOUNT + 1;

  static final int MAX_CHOICES = 128;

  /** The estimate of a pick's body; its 400 when the body is bad (the director's own check). */
  public static RequestEstimate of(PickRequest request) {
    JsonObject body = request.body().json();
    if (body == null) {
      return new RequestEstimate(0, 0);
    }
    long promptBytes = OpenAiParser.parse(request.path(), body).promptBytes().length();
    long prompt = (promptBytes + TokenEstimate.BYTES_PER_TOKEN - 1) / TokenEstimate.BYTES_PER_TOKEN;
    long max = first(body, "max_completion_tokens", "max_tokens", "max_output_tokens");
    long n = body.getValue("n") instanceof Number choices ? choices.longValue() : 1;
    n = Math.max(1, Math.min(MAX_CHOICES, n));
    return new RequestEstimate(prompt, Math.min(CAP, max * n));
  }

  private static long first(JsonObject body, String... fields) {
    for (String field : fields) {
      if (body.getValue(field) instanceof Number number) {
        double value = number.doubleValue();
        return value <= 0 ? 0 : value >= CAP ? CAP : (long) Math.ceil(value);
      }
    }
    return 0;
  }

  /** As usage: the prompt, no cached tokens, the answer at its most. */
  public TokenUsage asUsage() {
    return new TokenUsage(promptTokens, 0, maxOutputTokens, true);
  }
}
