package io.igw.simulator.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads an OpenAI request body strictly enough to answer bad input with vLLM's 400s. */
public final class InferenceRequestParser {

  private InferenceRequestParser() {
  }

  public static InferenceRequest parse(RequestKind kind, Buffer body) {
    JsonObject json = decode(body);
    String model = optionalString(json, "model");
    String prompt = switch (kind) {
      case COMPLETION -> completionPrompt(json.getValue("prompt"), "prompt");
      case CHAT -> chatPrompt(json.getValue("messages"));
      case EMBEDDING -> completionPrompt(json.getValue("input"), "input");
    };
    int promptTokens = kind == RequestKind.COMPLETION && isTokenIdList(json.getValue("prompt"))
        ? json.getJsonArray("prompt").size() : InferenceRequest.estimateTokens(prompt);
    Integer maxTokens = optionalPositiveInt(json, kind == RequestKind.CHAT && json.containsKey("max_completion_tokens")
        ? "max_completion_tokens" : "max_tokens");
    Integer minTokens = optionalPositiveInt(json, "min_tokens");
    boolean stream = optionalBoolean(json, "stream");
    JsonObject streamOptions = json.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
    boolean includeUsage = Boolean.TRUE.equals(streamOptions.getValue("include_usage"));
    Long seed = json.getValue("seed") instanceof Number n ? n.longValue() : null;
    return new InferenceRequest(kind, model, prompt, promptTokens, maxTokens, minTokens == null ? 0 : minTokens,
        optionalBoolean(json, "ignore_eos"), stream, includeUsage, seed);
  }

  private static JsonObject decode(Buffer body) {
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
    if (value instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 0
        && n.longValue() <= Integer.MAX_VALUE) {
      if (n.intValue() < 1 && !"min_tokens".equals(field)) {
        throw ApiError.badRequest(field + " must be at least 1, got " + n.intValue() + ".");
      }
      return n.intValue();
    }
    throw ApiError.badRequest("'" + field + "' must be a non-negative integer.");
  }

  private static boolean isTokenIdList(Object value) {
    return value instanceof JsonArray array && !array.isEmpty() && array.getValue(0) instanceof Number;
  }

  private static String completionPrompt(Object value, String field) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof JsonArray array && !array.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (Object item : array) {
        if (!(item instanceof String || item instanceof Number)) {
          throw ApiError.badRequest("'" + field + "' must be a string, a list of strings or a list of token ids.");
        }
        text.append(item instanceof Number ? "t" + item + " " : item);
      }
      return text.toString();
    }
    throw ApiError.badRequest("'" + field + "' is required: a string, a list of strings or a list of token ids.");
  }

  private static String chatPrompt(Object value) {
    if (!(value instanceof JsonArray messages) || messages.isEmpty()) {
      throw ApiError.badRequest("'messages' is required: a non-empty list of messages.");
    }
    StringBuilder text = new StringBuilder();
    for (Object item : messages) {
      if (!(item instanceof JsonObject message) || !(message.getValue("role") instanceof String role)) {
        throw ApiError.badRequest("Each message must be an object with a string 'role'.");
      }
      text.append("<|").append(role).append("|>").append(messageContent(message.getValue("content")));
    }
    return text.toString();
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
