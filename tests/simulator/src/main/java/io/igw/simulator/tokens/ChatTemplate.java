package io.igw.simulator.tokens;

import java.util.List;

/**
 * How a model's chat template lays messages out before tokenization, reduced to what changes the
 * tokens: role markers, separators, the beginning-of-text token and the generation prompt. No
 * tools, no reasoning blocks, no Llama 3.1 date preamble; those change the prompt of every request
 * by the same few tokens.
 */
public enum ChatTemplate {

  /**
   * Qwen's ChatML ({@code tokenizer_config.json} of Qwen3): {@code
   * <|im_start|>role\ncontent<|im_end|>\n} per message, then {@code <|im_start|>assistant\n}; no
   * BOS.
   */
  CHATML("chatml", "", List.of("<|im_start|>", "<|im_end|>", "<|endoftext|>")) {
    @Override
    void appendMessage(StringBuilder out, ChatMessage message) {
      out.append("<|im_start|>")
          .append(message.role())
          .append('\n')
          .append(message.content())
          .append("<|im_end|>\n");
    }

    @Override
    String generationPrompt() {
      return "<|im_start|>assistant\n";
    }
  },

  /**
   * Llama 3's header template: {@code <|begin_of_text|>}, then {@code
   * <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} per message (content trimmed),
   * then {@code <|start_header_id|>assistant<|end_header_id|>\n\n}. Completions get the BOS token
   * too, as Llama's tokenizer adds it.
   */
  LLAMA3(
      "llama3",
      "<|begin_of_text|>",
      List.of(
          "<|begin_of_text|>",
          "<|start_header_id|>",
          "<|end_header_id|>",
          "<|eot_id|>",
          "<|end_of_text|>")) {
    @Override
    void appendMessage(StringBuilder out, ChatMessage message) {
      out.append("<|start_header_id|>")
          .append(message.role())
          .append("<|end_header_id|>\n\n")
          .append(message.content().strip())
          .append("<|eot_id|>");
    }

    @Override
    String generationPrompt() {
      return "<|start_header_id|>assistant<|end_header_id|>\n\n";
    }
  };

  private final String id;
  private final String beginOfText;
  private final List<String> specialTokens;

  ChatTemplate(String id, String beginOfText, List<String> specialTokens) {
    this.id = id;
    this.beginOfText = beginOfText;
    this.specialTokens = specialTokens;
  }

  public String id() {
    return id;
  }

  /**
   * What a completion prompt starts with when special tokens are added (vLLM's default for
   * completions).
   */
  public String beginOfText() {
    return beginOfText;
  }

  /**
   * Marker strings that must be single tokens: the bundled encodings give them ids of their own.
   */
  public List<String> specialTokens() {
    return specialTokens;
  }

  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    StringBuilder out = new StringBuilder(beginOfText);
    for (ChatMessage message : messages) {
      appendMessage(out, message);
    }
    if (addGenerationPrompt) {
      out.append(generationPrompt());
    }
    return out.toString();
  }

  abstract void appendMessage(StringBuilder out, ChatMessage message);

  abstract String generationPrompt();

  public static ChatTemplate named(String id) {
    for (ChatTemplate template : values()) {
      if (template.id.equals(id)) {
        return template;
      }
    }
    throw new IllegalArgumentException("unknown chat template '" + id + "', known: chatml, llama3");
  }
}
