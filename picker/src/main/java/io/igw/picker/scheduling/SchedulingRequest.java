package io.igw.picker.scheduling;

import java.util.function.Function;

/**
 * What scheduling knows of a request.
 *
 * @param targetModel the model after any rewrite (null for a bodyless or model-less request)
 * @param promptBytes the text prefix-caching hashes (UTF-8 of the prompt, or of the chat messages'
 *     JSON); may be empty
 * @param headers request header lookup by name, case-insensitive; null when absent
 * @param priority the objective's priority; negative is sheddable
 */
public record SchedulingRequest(
    String requestId,
    String targetModel,
    PromptBytes promptBytes,
    Function<String, String> headers,
    int priority) {

  public static final PromptBytes NO_PROMPT = PromptBytes.EMPTY;
  public static final Function<String, String> NO_HEADERS = name -> null;

  public String header(String name) {
    return headers.apply(name);
  }
}
