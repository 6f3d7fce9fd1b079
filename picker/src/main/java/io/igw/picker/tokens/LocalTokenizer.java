package io.igw.picker.tokens;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model's own Hugging Face {@code tokenizer.json} with its chat template, run in process by the
 * Rust tokenizers library DJL ships in its jar (CPU). Loaded from a local file only: DJL is put in
 * offline mode, so nothing is fetched at run time. Added tokens in the file (ChatML's {@code
 * <|im_start|>}) are matched in the text; special tokens are not added by the library: the
 * template's text holds the BOS, as vLLM renders it. Thread-safe, and safe to close while other
 * threads encode: {@link #close} waits for encodes in progress (freeing the native tokenizer under
 * one crashes the JVM), and an encode after it answers null.
 */
public final class LocalTokenizer implements AutoCloseable {
  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final ChatTemplate template;
  private final java.util.concurrent.locks.ReadWriteLock lifecycle =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private boolean closed;

  private LocalTokenizer(Path file, HuggingFaceTokenizer tokenizer, ChatTemplate template) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.template = template;
  }

  /**
   * Loads {@code file}; an unreadable or invalid file is an {@link IllegalArgumentException} naming
   * it.
   */
  public static LocalTokenizer load(Path file, ChatTemplate template) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("tokenizer file not found: " + file);
    }
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("RUST_FLAVOR", "cpu");
    try {
      return new LocalTokenizer(
          file,
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of(
                  "addSpecialTokens",
                  "false",
                  "truncation",
                  "false",
                  "padding",
                  "false",
                  "maxLength",
                  "-1")),
          template);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * The body's tokens as the engine renders them ({@code chat}: messages through the template), or
   * null.
   */
  public int[] tokenize(boolean chat, JsonObject body) {
    if (chat) {
      List<ChatMessage> messages = PromptText.messages(body);
      return messages == null ? null : chat(messages, PromptText.addGenerationPrompt(body));
    }
    String prompt = PromptText.prompt(body);
    return prompt == null ? null : completion(prompt, PromptText.addSpecialTokens(body));
  }

  public int[] chat(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return encode(template.render(messages, addGenerationPrompt));
  }

  public int[] completion(String prompt, boolean addSpecialTokens) {
    return encode(addSpecialTokens ? template.beginOfText() + prompt : prompt);
  }

  /** The text's ids, or null once closed. */
  int[] encode(String text) {
    long[] ids;
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return null;
      }
      ids = tokenizer.encode(text, false, false).getIds();
    } finally {
      lifecycle.readLock().unlock();
    }
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        tokenizer.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
