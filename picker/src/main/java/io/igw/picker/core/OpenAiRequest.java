package io.igw.picker.core;

import io.igw.picker.scheduling.PromptBytes;

/**
 * What the OpenAI parser read from a body.
 *
 * @param api which API the path named ({@code completions}, {@code chat}, ...), {@code other} when
 *     unknown
 * @param model the body's model, null when absent
 * @param promptBytes UTF-8 of what prefix caching hashes: the prompt, or the JSON of the chat
 *     messages / input
 */
public record OpenAiRequest(Api api, String model, PromptBytes promptBytes) {
  public enum Api {
    COMPLETIONS,
    CHAT_COMPLETIONS,
    RESPONSES,
    CONVERSATIONS,
    EMBEDDINGS,
    OTHER
  }
}
