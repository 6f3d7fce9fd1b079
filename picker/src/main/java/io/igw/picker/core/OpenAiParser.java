package io.igw.picker.core;

import io.igw.picker.core.JsonBodyScanner.Field;
import io.igw.picker.core.JsonBodyScanner.Kind;
import io.igw.picker.core.OpenAiRequest.Api;
import io.igw.picker.scheduling.PromptBytes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads the OpenAI request bodies the gateway routes: completions ({@code prompt}: string, list of
 * strings or token lists), chat completions ({@code messages}, content as a string or a list of
 * parts), responses ({@code instructions}, {@code input}), embeddings ({@code input}),
 * conversations. A shape the API forbids is a 400; a path it does not know gets a best-effort
 * prompt. Never trusts the body: every field is type-checked.
 */
public final class OpenAiParser {
  /**
   * Prefix routing needs only the start of a prompt: what is kept for hashing stops here (about
   * 256k tokens, more than the prefix scorers' block limits ever look at).
   */
  public static final int MAX_PROMPT_BYTES = 1024 * 1024;

  private static final PromptBytes EMPTY = PromptBytes.EMPTY;

  private OpenAiParser() {}

  public static Api apiOf(String path) {
    if (path == null) {
      return Api.OTHER;
    }
    int query = path.indexOf('?');
    String p = query >= 0 ? path.substring(0, query) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return switch (p) {
      case "/v1/completions" -> Api.COMPLETIONS;
      case "/v1/chat/completions" -> Api.CHAT_COMPLETIONS;
      case "/v1/responses" -> Api.RESPONSES;
      case "/v1/embeddings" -> Api.EMBEDDINGS;
      default -> p.startsWith("/v1/conversations") ? Api.CONVERSATIONS : Api.OTHER;
    };
  }

  /**
   * Parses a body (null for a bodyless request); the model was already checked to be a string or
   * absent.
   */
  public static OpenAiRequest parse(String path, JsonObject body) {
    Api api = apiOf(path);
    if (body == null) {
      return new OpenAiRequest(api, null, EMPTY);
    }
    String model = body.getValue("model") instanceof String s ? s : null;
    PromptBytes prompt =
        switch (api) {
          case COMPLETIONS -> completionPrompt(body.getValue("prompt"), true);
          case CHAT_COMPLETIONS -> chatPrompt(body.getValue("messages"), true);
          case RESPONSES -> responsesPrompt(body);
          case EMBEDDINGS -> completionPrompt(body.getValue("input"), true);
          case CONVERSATIONS -> EMPTY;
          case OTHER ->
              body.containsKey("messages")
                  ? chatPrompt(body.getValue("messages"), false)
                  : completionPrompt(body.getValue("prompt"), false);
        };
    return new OpenAiRequest(api, model, prompt.prefix(MAX_PROMPT_BYTES));
  }

  /**
   * The same reading from a {@link JsonBodyScanner} pass: same prompt bytes, same 400s (the scanned
   * fields were checked in that pass, so nothing is walked twice).
   */
  static OpenAiRequest parseScanned(String path, JsonBodyScanner.ScannedBody body) {
    Api api = apiOf(path);
    PromptBytes prompt =
        switch (api) {
          case COMPLETIONS -> completionPrompt(body.prompt(), true);
          case CHAT_COMPLETIONS -> chatPrompt(body.messages(), true);
          case RESPONSES -> responsesPrompt(body.instructions(), body.input());
          case EMBEDDINGS -> completionPrompt(body.input(), true);
          case CONVERSATIONS -> EMPTY;
          case OTHER ->
              body.messages().kind() != Kind.ABSENT
                  ? chatPrompt(body.messages(), false)
                  : completionPrompt(body.prompt(), false);
        };
    return new OpenAiRequest(api, body.model(), prompt.prefix(MAX_PROMPT_BYTES));
  }

  private static PromptBytes completionPrompt(Field prompt, boolean strict) {
    return switch (prompt.kind()) {
      case ABSENT, NULL -> EMPTY;
      case STRING -> prompt.stringBytes();
      case ARRAY -> prompt.invalid() == null ? prompt.json() : reject(strict, prompt.invalid());
      case OTHER -> reject(strict, "prompt must be a string or a list");
    };
  }

  private static PromptBytes chatPrompt(Field messages, boolean strict) {
    if (messages.kind() != Kind.ARRAY) {
      return messages.kind() == Kind.NULL && !strict
          ? EMPTY
          : reject(strict, "messages must be a list");
    }
    return messages.invalid() == null ? messages.json() : reject(strict, messages.invalid());
  }

  private static PromptBytes responsesPrompt(Field instructions, Field input) {
    boolean noInstructions = instructions.kind() == Kind.ABSENT || instructions.kind() == Kind.NULL;
    boolean noInput = input.kind() == Kind.ABSENT || input.kind() == Kind.NULL;
    if (!noInstructions && instructions.kind() != Kind.STRING) {
      return reject(true, "instructions must be a string");
    }
    if (!noInput && input.kind() != Kind.STRING && input.kind() != Kind.ARRAY) {
      return reject(true, "input must be a string or a list");
    }
    if (noInstructions && noInput) {
      return EMPTY;
    }
    String head = noInstructions ? "" : instructions.string();
    if (input.kind() != Kind.ARRAY) {
      // one string, as the tree path joins them: a surrogate pair split across the two stays a pair
      return utf8(noInput ? head : head + input.string());
    }
    PromptBytes json = input.json();
    if (hasSurrogateEscape(json)) {
      // the tree path joins the list's encode() as text, where a surrogate is a char, not a
      // u-escape: the rare list with one takes that way too, so both give the same bytes
      return utf8(
          head + new JsonArray(io.vertx.core.buffer.Buffer.buffer(json.toArray())).encode());
    }
    return utf8(head).concat(json);
  }

  /** A u-escape of a UTF-16 surrogate (U+D800 to U+DFFF) in compact JSON. */
  private static boolean hasSurrogateEscape(PromptBytes json) {
    byte[] b = json.array();
    for (int i = json.offset(), end = i + json.length(); i + 3 < end; i++) {
      if (b[i] == '\\'
          && b[i + 1] == 'u'
          && (b[i + 2] == 'D' || b[i + 2] == 'd')
          && "89ABabcdefCDEF".indexOf(b[i + 3]) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static PromptBytes completionPrompt(Object prompt, boolean strict) {
    if (prompt == null) {
      return EMPTY;
    }
    if (prompt instanceof String text) {
      return utf8(text);
    }
    if (prompt instanceof JsonArray list) {
      for (Object item : list) {
        if (!(item instanceof String
            || item instanceof Number
            || item instanceof JsonArray tokens && allNumbers(tokens))) {
          return reject(strict, JsonBodyScanner.PROMPT_ITEMS);
        }
      }
      return json(list);
    }
    return reject(strict, "prompt must be a string or a list");
  }

  private static PromptBytes chatPrompt(Object messages, boolean strict) {
    if (!(messages instanceof JsonArray list)) {
      return messages == null && !strict ? EMPTY : reject(strict, "messages must be a list");
    }
    for (Object item : list) {
      if (!(item instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
        return reject(strict, JsonBodyScanner.MESSAGE_ROLE);
      }
      Object content = message.getValue("content");
      if (content != null
          && !(content instanceof String)
          && !(content instanceof JsonArray parts && validParts(parts))) {
        return reject(strict, JsonBodyScanner.MESSAGE_CONTENT);
      }
    }
    return json(list);
  }

  /**
   * The list's compact JSON as the codec writes it (the fast encoder, the codec for what that one
   * does not write).
   */
  private static PromptBytes json(JsonArray list) {
    byte[] encoded = CompactJsonEncoder.encode(list);
    return PromptBytes.of(encoded != null ? encoded : list.toBuffer().getBytes());
  }

  private static boolean validParts(JsonArray parts) {
    for (Object part : parts) {
      if (!(part instanceof JsonObject object) || !(object.getValue("type") instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static PromptBytes responsesPrompt(JsonObject body) {
    Object instructions = body.getValue("instructions");
    Object input = body.getValue("input");
    if (instructions != null && !(instructions instanceof String)) {
      return reject(true, "instructions must be a string");
    }
    if (input != null && !(input instanceof String) && !(input instanceof JsonArray)) {
      return reject(true, "input must be a string or a list");
    }
    if (instructions == null && input == null) {
      return EMPTY;
    }
    String text =
        (instructions == null ? "" : instructions)
            + (input instanceof JsonArray items
                ? items.encode()
                : input == null ? "" : (String) input);
    return utf8(text);
  }

  private static boolean allNumbers(JsonArray tokens) {
    for (Object t : tokens) {
      if (!(t instanceof Number)) {
        return false;
      }
    }
    return true;
  }

  private static PromptBytes reject(boolean strict, String message) {
    if (strict) {
      throw PickFailure.badRequest(message);
    }
    return EMPTY;
  }

  private static PromptBytes utf8(String text) {
    return PromptBytes.utf8(text);
  }
}
