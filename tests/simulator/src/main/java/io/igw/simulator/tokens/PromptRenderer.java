package io.igw.simulator.tokens;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A served model's prompt path, as vLLM's renderer runs it before the engine: a completion prompt
 * is tokenized with the beginning-of-text token in front when special tokens are added (vLLM's
 * default for completions); a chat is laid out by the model's template, then tokenized without
 * adding anything (the template holds the BOS).
 */
public final class PromptRenderer {

  /**
   * Loaded tokenizer.json files, shared by the servers of one JVM (each is megabytes of
   * vocabulary).
   */
  private static final Map<Path, TokenizerJson> LOADED = new ConcurrentHashMap<>();

  private final Tokenizer tokenizer;
  private final ChatTemplate template;

  /**
   * The renderer of a model: its own tokenizer.json when {@code tokenizerJson} is set, otherwise
   * the bundled {@code encoding} with the template's markers added.
   */
  public static PromptRenderer of(String encoding, ChatTemplate template, String tokenizerJson) {
    Tokenizer tokenizer =
        tokenizerJson == null || tokenizerJson.isBlank()
            ? new BundledEncoding(encoding, template.specialTokens())
            : LOADED.computeIfAbsent(
                Path.of(tokenizerJson).toAbsolutePath().normalize(), TokenizerJson::load);
    return new PromptRenderer(tokenizer, template);
  }

  public PromptRenderer(Tokenizer tokenizer, ChatTemplate template) {
    this.tokenizer = tokenizer;
    this.template = template;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ChatTemplate template() {
    return template;
  }

  public int[] completion(String prompt, boolean addSpecialTokens) {
    return tokenizer.encode(addSpecialTokens ? template.beginOfText() + prompt : prompt);
  }

  public int[] chat(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return tokenizer.encode(template.render(messages, addGenerationPrompt));
  }

  /**
   * The ids of the beginning-of-text token(s) a completion starts with: empty for templates without
   * BOS.
   */
  public int[] beginOfText() {
    return template.beginOfText().isEmpty() ? new int[0] : tokenizer.encode(template.beginOfText());
  }
}
