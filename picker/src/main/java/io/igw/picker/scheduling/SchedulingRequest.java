package io.igw.picker.scheduling;

import java.util.Map;

/**
 * What scheduling knows of a request.
 *
 * @param targetModel  the model after any rewrite (null for a bodyless or model-less request)
 * @param promptBytes  the text prefix-caching hashes (UTF-8 of the prompt, or of the chat messages' JSON); may be empty
 * @param headers      request headers, lower-case names
 * @param priority     the objective's priority; negative is sheddable
 */
public record SchedulingRequest(
    String requestId, String targetModel, byte[] promptBytes, Map<String, String> headers, int priority) {

  public static final byte[] NO_PROMPT = new byte[0];

  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }
}
