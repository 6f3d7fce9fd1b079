package io.igw.picker.scheduling;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * A plugin's {@code parameters}, read field by field with defaults and bounds; {@link #done()}
 * rejects the fields no one read. Every error names the plugin and the field.
 */
public final class Parameters {
  private final TypedName plugin;
  private final JsonObject json;
  private final String path;
  private final Set<String> read = new HashSet<>();

  public Parameters(TypedName plugin, JsonObject json) {
    this(plugin, json, "");
  }

  private Parameters(TypedName plugin, JsonObject json, String path) {
    this.plugin = plugin;
    this.json = json == null ? new JsonObject() : json;
    this.path = path;
  }

  public static Parameters none(TypedName plugin) {
    return new Parameters(plugin, null);
  }

  public TypedName plugin() {
    return plugin;
  }

  public int intValue(String field, int defaultValue, int min, int max) {
    Object value = take(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number)
        || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < min
        || number.doubleValue() > max) {
      throw bad(field, "must be an integer from " + min + " to " + max, value);
    }
    return number.intValue();
  }

  public double doubleValue(String field, double defaultValue, double min, double max) {
    Object value = take(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number)
        || Double.isNaN(number.doubleValue())
        || number.doubleValue() < min
        || number.doubleValue() > max) {
      throw bad(field, "must be a number from " + min + " to " + max, value);
    }
    return number.doubleValue();
  }

  public boolean boolValue(String field, boolean defaultValue) {
    Object value = take(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw bad(field, "must be true or false", value);
    }
    return b;
  }

  public String stringValue(String field, String defaultValue) {
    Object value = take(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw bad(field, "must be a non-empty string", value);
    }
    return s;
  }

  /**
   * A long integer parameter (a YAML number or a string of digits, as upstream's {@code hashSeed}).
   */
  public long longValue(String field, long defaultValue) {
    Object value = take(field);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof String s && s.matches("-?[0-9]{1,18}")) {
      return Long.parseLong(s);
    }
    throw bad(field, "must be an integer", value);
  }

  /** A Go duration ({@code 2s}, {@code 500ms}) in milliseconds, from {@code min} to {@code max}. */
  public long durationMillis(String field, long defaultValue, long min, long max) {
    Object value = take(field);
    if (value == null) {
      return defaultValue;
    }
    long millis = value instanceof String s ? GoDuration.millis(s.trim()) : -1;
    if (millis < min || millis > max) {
      throw bad(
          field,
          "must be a duration such as 2s or 500ms, from " + min + "ms to " + max + "ms",
          value);
    }
    return millis;
  }

  /**
   * The parameters of the nested mapping {@code field} (empty when absent), read with the same
   * rules; call its {@link #done()} too. Errors name the whole path ({@code
   * kvEventsConfig.socketPort}).
   */
  public Parameters nested(String field) {
    Object value = take(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw bad(field, "must be a mapping", value);
    }
    return new Parameters(plugin, (JsonObject) value, path + field + ".");
  }

  /** Fails on any field that was not read: a typo must not pass silently. */
  public void done() {
    for (String field : json.fieldNames()) {
      if (!read.contains(field)) {
        throw new ConfigException("plugin " + plugin + ": unknown parameter " + path + field);
      }
    }
  }

  public ConfigException bad(String field, String expectation, Object value) {
    return new ConfigException(
        "plugin "
            + plugin
            + ": parameter "
            + path
            + field
            + " "
            + expectation
            + ", got "
            + (value instanceof String ? "\"" + value + "\"" : value));
  }

  private Object take(String field) {
    read.add(field);
    return json.getValue(field);
  }
}
