package io.igw.picker.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The body of a pick request, as both frontends received it, and the one place it is checked:
 * within the {@link JsonBodyLimits}, valid JSON, an object, a string {@code model} or none. The
 * check runs once, when the in-process pick first reads {@link #json()}; a pick forwarded to a
 * foreign EPP sends the bytes as they came.
 */
public final class PickBody {
  private static final PickBody NONE = new PickBody(null, null);

  /** The bytes; for a body made from parsed JSON, encoded when first asked for. */
  private volatile Buffer raw;

  /** The checked JSON object, or the {@link PickFailure} the check threw; null until checked. */
  private volatile Object checked;

  private PickBody(Buffer raw, JsonObject json) {
    this.raw = raw;
    this.checked = json;
  }

  /** The body as received; null or empty: a bodyless request. */
  public static PickBody of(Buffer raw) {
    return raw == null || raw.length() == 0 ? NONE : new PickBody(raw, null);
  }

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
   * The checked JSON object, null when bodyless; a body that fails the check throws its 400 or 413.
   */
  public JsonObject json() {
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
    return (JsonObject) result;
  }

  /** The body's model; null when bodyless, without one, or when the body fails the check. */
  public String model() {
    try {
      JsonObject json = json();
      return json == null ? null : (String) json.getValue("model");
    } catch (PickFailure invalid) {
      return null;
    }
  }

  private static Object check(Buffer raw) {
    try {
      JsonBodyLimits.check(raw);
      Object value;
      try {
        value = raw.toJsonValue();
      } catch (DecodeException | IllegalStateException e) {
        throw PickFailure.badRequest("the request body is not valid JSON");
      }
      if (!(value instanceof JsonObject object)) {
        throw PickFailure.badRequest("the request body must be a JSON object");
      }
      checkModel(object);
      return object;
    } catch (PickFailure failure) {
      return failure;
    }
  }

  private static void checkModel(JsonObject body) {
    Object model = body.getValue("model");
    if (model != null && !(model instanceof String)) {
      throw PickFailure.badRequest("model must be a string");
    }
  }
}
