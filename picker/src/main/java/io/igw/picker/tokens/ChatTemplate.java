package io.igw.picker.tokens;

import java.util.List;

/**
 * How a model's chat template lays messages out before tokenization, reduced to what changes the
 * tokens (the facts the simulator's templates hold, written again here: the picker does not depend
 * on the simulator): role markers, separators, the beginning-of-text token, the generation prompt.
 * No tools, no reasoning blocks, no date preamble.
 */
public enum ChatTemplate {
  /**
   * Qwen's ChatML: {@code <|im_start|>role\ncontent<|im_end|>\n} per message, then the assistant's
   * start; no BOS.
   */
  CHATML("chatml", "") {
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
   * Llama 3: {@code <|begin_of_text|>}, then {@code
   * <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} per message (content trimmed),
   * then the assistant's header. Completions get the BOS too.
   */
  LLAMA3("llama3", "<|begin_of_text|>") {
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

  ChatTemplate(String id, String beginOfText) {
    this.id = id;
    this.beginOfText = beginOfText;
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

  /** The template called {@code id}, or null. */
  public static ChatTemplate named(String id) {
    for (ChatTemplate template : values()) {
      if (template.id.equals(id)) {
        return template;
      }
    }
    return null;
  }
}
