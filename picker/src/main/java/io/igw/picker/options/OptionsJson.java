package io.igw.picker.options;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of one options object from its JSON form: an absent (or null) field keeps the
 * current value, a field of the wrong type fails with a message that names it. Range checks are the
 * options' own setters'.
 */
public final class OptionsJson {
  private OptionsJson() {}

  public static int integer(JsonObject json, String field, int current) {
    Object value = json.getValue(field);
    if (value == null) {
      return current;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw wrongType(field, "an integer", value);
    }
    return n.intValue();
  }

  public static long longInteger(JsonObject json, String field, long current) {
    Object value = json.getValue(field);
    if (value == null) {
      return current;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue()) {
      throw wrongType(field, "an integer", value);
    }
    return n.longValue();
  }

  public static boolean bool(JsonObject json, String field, boolean current) {
    Object value = json.getValue(field);
    if (value == null) {
      return current;
    }
    if (!(value instanceof Boolean b)) {
      throw wrongType(field, "true or false", value);
    }
    return b;
  }

  public static String string(JsonObject json, String field, String current) {
    Object value = json.getValue(field);
    if (value == null) {
      return current;
    }
    if (!(value instanceof String s)) {
      throw wrongType(field, "a string", value);
    }
    return s;
  }

  /** A list of strings; absent: {@code current}. */
  public static List<String> strings(JsonObject json, String field, List<String> current) {
    Object value = json.getValue(field);
    if (value == null) {
      return current;
    }
    if (!(value instanceof JsonArray array)) {
      throw wrongType(field, "a list of strings", value);
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw wrongType(field, "a list of strings", value);
      }
      out.add(s);
    }
    return out;
  }

  /** A nested options object; absent: an empty one (every field at its default). */
  public static JsonObject object(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw wrongType(field, "an object", value);
    }
    return object;
  }

  /**
   * Reads a nested options object with {@code reader}; its errors are prefixed with {@code field.}.
   */
  public static <T> T nested(
      JsonObject json, String field, java.util.function.Function<JsonObject, T> reader) {
    JsonObject object = object(json, field);
    try {
      return reader.apply(object);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + "." + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException wrongType(String field, String expected, Object value) {
    return new IllegalArgumentException(
        field
            + " must be "
            + expected
            + ", got "
            + (value instanceof String ? "\"" + value + "\"" : String.valueOf(value)));
  }
}
