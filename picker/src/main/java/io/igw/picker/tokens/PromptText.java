package io.igw.picker.tokens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What of an OpenAI body a tokenizer reads, as vLLM reads it: a chat's messages (content strings,
 * or the text of content parts), {@code add_generation_prompt} (default true) and a completion's
 * {@code prompt} string with {@code add_special_tokens} (default true). Null where the body has
 * nothing to tokenize that way (token-id prompts, lists of prompts, images only).
 */
public final class PromptText {
  private PromptText() {}

  /**
   * The chat's messages, or null when {@code messages} is not a list of objects with string roles.
   */
  public static List<ChatMessage> messages(JsonObject body) {
    if (!(body.getValue("messages") instanceof JsonArray array) || array.isEmpty()) {
      return null;
    }
    List<ChatMessage> out = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof JsonObject message)
          || !(message.getValue("role") instanceof String role)) {
        return null;
      }
      String content = content(message.getValue("content"));
      if (content == null) {
        return null;
      }
      out.add(new ChatMessage(role, content));
    }
    return out;
  }

  public static boolean addGenerationPrompt(JsonObject body) {
    return !(body.getValue("add_generation_prompt") instanceof Boolean b) || b;
  }

  /** A completion's single string prompt, or null. */
  public static String prompt(JsonObject body) {
    Object prompt = body.getValue("prompt");
    if (prompt instanceof JsonArray list
        && list.size() == 1
        && list.getValue(0) instanceof String only) {
      return only;
    }
    return prompt instanceof String s ? s : null;
  }

  public static boolean addSpecialTokens(JsonObject body) {
    return !(body.getValue("add_special_tokens") instanceof Boolean b) || b;
  }

  private static String content(Object content) {
    if (content == null || content instanceof String) {
      return content == null ? "" : (String) content;
    }
    if (content instanceof JsonArray parts) {
      StringBuilder text = new StringBuilder();
      for (Object part : parts) {
        if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
          text.append(t);
        }
      }
      return text.toString();
    }
    return null;
  }
}
