package io.igw.picker.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The body of a pick request, as both frontends received it, and the one place it is checked:
 * within the {@link JsonBodyLimits}, valid JSON, an object, a string {@code model} or none. The
 * check runs once, when the in-process pick first reads it ({@link #check()}, {@link #model()}):
 * one streaming pass ({@link JsonBodyScanner}) that also reads what the OpenAI parser needs, so a
 * pick builds no object tree; the tree ({@link #json()}) is built only when asked for (a model
 * rewrite, the token producer), and for the bodies the scanner leaves to it (those it does not
 * answer for: invalid, duplicate keys, past a limit), which keeps their answers exactly what the
 * codec gives. A pick forwarded to a foreign EPP sends the bytes as they came.
 */
public final class PickBody {
  private static final PickBody NONE = new PickBody(null, null);

  /** The bytes; for a body made from parsed JSON, encoded when first asked for. */
  private volatile Buffer raw;

  /**
   * The scan ({@link JsonBodyScanner.ScannedBody}), the checked JSON object (a body made from one,
   * or one the scanner left to the tree path), or the {@link PickFailure} the check threw; null
   * until checked.
   */
  private volatile Object checked;

  /** The tree of a scanned body, once asked for. */
  private volatile JsonObject tree;

  private PickBody(Buffer raw, JsonObject json) {
    this.raw = raw;
    this.checked = json;
    this.tree = json;
  }

  /** The body as received, sent as JSON; null or empty: a bodyless request. */
  public static PickBody of(Buffer raw) {
    return raw == null || raw.length() == 0 ? NONE : new PickBody(raw, null);
  }

  /**
   * The body as received with the request's {@code Content-Type}: a body sent as anything but JSON
   * ({@code application/json}, {@code application/<x>+json}, parameters allowed; none at all is
   * read as JSON) fails the check with 415, since the model server would not read it as JSON and
   * the gateway must not route by a model the server will not see. A bodyless request passes
   * whatever its type.
   */
  public static PickBody of(Buffer raw, String contentType) {
    PickBody body = of(raw);
    if (body != NONE && !isJson(contentType)) {
      body.checked = PickFailure.unsupportedMediaType();
    }
    return body;
  }

  /** A JSON content type, or none. */
  public static boolean isJson(String contentType) {
    return contentType == null || contentType.isBlank() || JSON_TYPE.matcher(contentType).matches();
  }

  private static final java.util.regex.Pattern JSON_TYPE =
      java.util.regex.Pattern.compile(
          "\\s*application/([a-z0-9.!#$%&'*^_`|~-]+\\+)?json\\s*(;.*)?",
          java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

  /**
   * A body already parsed (the routing lab, tests); its bytes, when asked for, are the object's
   * compact JSON.
   */
  public static PickBody of(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    checkModel(json);
    return new PickBody(null, json);
  }

  public static PickBody none() {
    return NONE;
  }

  /** The bytes as received; null when bodyless. */
  public Buffer raw() {
    Buffer bytes = raw;
    if (bytes == null && checked instanceof JsonObject json) {
      bytes = json.toBuffer();
      raw = bytes;
    }
    return bytes;
  }

  /** Bytes of the body (flow control's band limits count them). */
  public int length() {
    Buffer bytes = raw();
    return bytes == null ? 0 : bytes.length();
  }

  /**
   * Checks the body (once; bodyless passes); a body that fails throws its 400 or 413 {@link
   * PickFailure}.
   */
  public void check() {
    checked();
  }

  /**
   * The checked JSON object, null when bodyless; a body that fails the check throws its 400 or 413.
   * Builds the tree on first call: the pick itself reads {@link #openAi} instead.
   */
  public JsonObject json() {
    Object result = checked();
    if (result == null || result instanceof JsonObject) {
      return (JsonObject) result;
    }
    JsonObject json = tree;
    if (json == null) {
      // the scan accepted it: valid JSON, an object, within the limits, a string model or none
      json = raw.toJsonObject();
      tree = json;
    }
    return json;
  }

  /**
   * What the OpenAI parser reads from the body for the request's {@code path}; a body that fails
   * the check, or a shape the API forbids, throws its {@link PickFailure}.
   */
  public OpenAiRequest openAi(String path) {
    Object result = checked();
    return result instanceof JsonBodyScanner.ScannedBody scanned
        ? OpenAiParser.parseScanned(path, scanned)
        : OpenAiParser.parse(path, (JsonObject) result);
  }

  /**
   * Whether the body is a stream that will not report its usage by itself ({@code stream} true,
   * {@code stream_options.include_usage} not); false when bodyless. Read from the scan when there
   * is one, so no tree is built to answer it.
   */
  boolean streamWithoutUsage() {
    Object result = checked();
    if (result instanceof JsonBodyScanner.ScannedBody scanned) {
      return scanned.streamWithoutUsage();
    }
    return result instanceof JsonObject json && UsageRequest.streamWithoutUsage(json);
  }

  /** The body's model; null when bodyless, without one, or when the body fails the check. */
  public String model() {
    try {
      Object result = checked();
      if (result instanceof JsonBodyScanner.ScannedBody scanned) {
        return scanned.model();
      }
      return result == null ? null : (String) ((JsonObject) result).getValue("model");
    } catch (PickFailure invalid) {
      return null;
    }
  }

  /** The scan, the tree, or null when bodyless; throws the check's failure. */
  private Object checked() {
    if (this == NONE) {
      return null;
    }
    Object result = checked;
    if (result == null) {
      result = check(raw);
      checked = result;
    }
    if (result instanceof PickFailure failure) {
      throw failure;
    }
    return result;
  }

  private static Object check(Buffer raw) {
    if (notUtf8Json(raw)) {
      return PickFailure.invalidBody("invalid_json", "the request body is not valid JSON");
    }
    JsonBodyScanner.ScannedBody scanned = JsonBodyScanner.scan(raw);
    if (scanned != null) {
      return "".equals(scanned.model()) ? emptyModel() : scanned;
    }
    try {
      JsonBodyLimits.check(raw);
      Object value;
      try {
        value = raw.toJsonValue();
      } catch (DecodeException | IllegalStateException e) {
        throw PickFailure.invalidBody("invalid_json", "the request body is not valid JSON");
      }
      if (!(value instanceof JsonObject object)) {
        throw PickFailure.invalidBody("invalid_body", "the request body must be a JSON object");
      }
      checkModel(object);
      return object;
    } catch (PickFailure failure) {
      return failure;
    }
  }

  /**
   * A byte-order mark or a NUL in the first four bytes: Jackson would detect UTF-16/32 or skip the
   * mark and read the body, where the model server (vLLM's json.loads) and JSON as sent over HTTP
   * (UTF-8, no mark) do not.
   */
  private static boolean notUtf8Json(Buffer raw) {
    int n = Math.min(4, raw.length());
    for (int i = 0; i < n; i++) {
      if (raw.getByte(i) == 0) {
        return true;
      }
    }
    int b0 = n > 0 ? raw.getUnsignedByte(0) : -1;
    int b1 = n > 1 ? raw.getUnsignedByte(1) : -1;
    return b0 == 0xEF && b1 == 0xBB || b0 == 0xFE && b1 == 0xFF || b0 == 0xFF && b1 == 0xFE;
  }

  /** A JSON null model is no model, as vLLM reads it. */
  private static void checkModel(JsonObject body) {
    Object model = body.getValue("model");
    if (model != null && !(model instanceof String)) {
      throw PickFailure.invalidBody("invalid_model", "model must be a string");
    }
    if ("".equals(model)) {
      throw emptyModel();
    }
  }

  private static PickFailure emptyModel() {
    return PickFailure.invalidBody("invalid_model", "model must not be empty");
  }
}
