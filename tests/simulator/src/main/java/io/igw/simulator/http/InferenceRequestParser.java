package io.igw.simulator.http;

import io.igw.simulator.tokens.ChatMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads an OpenAI request body strictly enough to answer bad input with vLLM's 400s. */
public final class InferenceRequestParser {

  private InferenceRequestParser() {}

  public static InferenceRequest parse(RequestKind kind, Buffer body) {
    return parse(kind, decode(body));
  }

  public static InferenceRequest parse(RequestKind kind, JsonObject json) {
    String model = optionalString(json, "model");
    String text = null;
    int[] tokenIds = null;
    List<ChatMessage> messages = List.of();
    switch (kind) {
      case COMPLETION -> {
        tokenIds = tokenIds(json.getValue("prompt"));
        text = tokenIds == null ? completionPrompt(json.getValue("prompt"), "prompt") : null;
      }
      case CHAT -> messages = chatMessages(json.getValue("messages"));
      case EMBEDDING -> text = completionPrompt(json.getValue("input"), "input");
    }
    boolean addSpecialTokens =
        json.containsKey("add_special_tokens")
            ? optionalBoolean(json, "add_special_tokens")
            : kind != RequestKind.CHAT;
    boolean addGenerationPrompt =
        !json.containsKey("add_generation_prompt")
            || optionalBoolean(json, "add_generation_prompt");
    Integer maxTokens =
        optionalPositiveInt(
            json,
            kind == RequestKind.CHAT && json.containsKey("max_completion_tokens")
                ? "max_completion_tokens"
                : "max_tokens");
    Integer minTokens = optionalPositiveInt(json, "min_tokens");
    boolean stream = optionalBoolean(json, "stream");
    JsonObject streamOptions =
        json.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
    boolean includeUsage = Boolean.TRUE.equals(streamOptions.getValue("include_usage"));
    Long seed = json.getValue("seed") instanceof Number n ? n.longValue() : null;
    return new InferenceRequest(
        kind,
        model,
        text,
        tokenIds,
        messages,
        addSpecialTokens,
        addGenerationPrompt,
        maxTokens,
        minTokens == null ? 0 : minTokens,
        optionalBoolean(json, "ignore_eos"),
        stream,
        includeUsage,
        seed);
  }

  /** A JSON object body, or vLLM's 400. */
  static JsonObject decode(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ApiError.badRequest("Expected a JSON object body, got an empty body.");
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(body);
      if (value instanceof JsonObject object) {
        return object;
      }
      throw ApiError.badRequest("Expected a JSON object body.");
    } catch (DecodeException e) {
      throw ApiError.badRequest("JSON decode error: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid JSON";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw ApiError.badRequest("'" + field + "' must be a string.");
  }

  private static boolean optionalBoolean(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    throw ApiError.badRequest("'" + field + "' must be a boolean.");
  }

  private static Integer optionalPositiveInt(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n
        && n.doubleValue() == n.longValue()
        && n.longValue() >= 0
        && n.longValue() <= Integer.MAX_VALUE) {
      if (n.intValue() < 1 && !"min_tokens".equals(field)) {
        throw ApiError.badRequest(field + " must be at least 1, got " + n.intValue() + ".");
      }
      return n.intValue();
    }
    throw ApiError.badRequest("'" + field + "' must be a non-negative integer.");
  }

  /** A prompt given as a list of token ids, or null when it is text. */
  private static int[] tokenIds(Object value) {
    if (!(value instanceof JsonArray array)
        || array.isEmpty()
        || !(array.getValue(0) instanceof Number)) {
      return null;
    }
    int[] ids = new int[array.size()];
    for (int i = 0; i < ids.length; i++) {
      if (!(array.getValue(i) instanceof Number n)
          || n.longValue() < 0
          || n.longValue() > Integer.MAX_VALUE) {
        throw ApiError.badRequest(
            "'prompt' must be a string, a list of strings or a list of token ids.");
      }
      ids[i] = n.intValue();
    }
    return ids;
  }

  private static String completionPrompt(Object value, String field) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof JsonArray array && !array.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (Object item : array) {
        if (!(item instanceof String part)) {
          throw ApiError.badRequest(
              "'" + field + "' must be a string, a list of strings or a list of token ids.");
        }
        text.append(part);
      }
      return text.toString();
    }
    throw ApiError.badRequest(
        "'" + field + "' is required: a string, a list of strings or a list of token ids.");
  }

  private static List<ChatMessage> chatMessages(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw ApiError.badRequest("'messages' is required: a non-empty list of messages.");
    }
    List<ChatMessage> messages = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof JsonObject message)
          || !(message.getValue("role") instanceof String role)) {
        throw ApiError.badRequest("Each message must be an object with a string 'role'.");
      }
      messages.add(new ChatMessage(role, messageContent(message.getValue("content"))));
    }
    return messages;
  }

  private static String messageContent(Object content) {
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
    throw ApiError.badRequest("A message's 'content' must be a string or a list of content parts.");
  }
}
