package io.igw.picker.scheduling;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * A plugin's {@code parameters}, read field by field with defaults and bounds; {@link #done()} rejects the
 * fields no one read. Every error names the plugin and the field.
 */
public final class Parameters {
  private final TypedName plugin;
  private final JsonObject json;
  private final Set<String> read = new HashSet<>();

  public Parameters(TypedName plugin, JsonObject json) {
    this.plugin = plugin;
    this.json = json == null ? new JsonObject() : json;
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
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < min || number.doubleValue() > max) {
      throw bad(field, "must be an integer from " + min + " to " + max, value);
    }
    return number.intValue();
  }

  public double doubleValue(String field, double defaultValue, double min, double max) {
    Object value = take(field);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())
        || number.doubleValue() < min || number.doubleValue() > max) {
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

  /** Fails on any field that was not read: a typo must not pass silently. */
  public void done() {
    for (String field : json.fieldNames()) {
      if (!read.contains(field)) {
        throw new ConfigException("plugin " + plugin + ": unknown parameter " + field);
      }
    }
  }

  public ConfigException bad(String field, String expectation, Object value) {
    return new ConfigException("plugin " + plugin + ": parameter " + field + " " + expectation + ", got "
        + (value instanceof String ? "\"" + value + "\"" : value));
  }

  private Object take(String field) {
    read.add(field);
    return json.getValue(field);
  }
}
