package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Strict reading of one YAML mapping of the config: unknown fields and wrong types fail, naming
 * where.
 */
final class Fields {
  private final String where;
  private final JsonObject object;

  Fields(String where, JsonObject object, String... allowed) {
    this.where = where;
    this.object = object;
    Set<String> known = Set.of(allowed);
    for (String field : object.fieldNames()) {
      if (!known.contains(field)) {
        throw new ConfigException(where + ": unknown field " + field);
      }
    }
  }

  String string(String field, boolean required) {
    Object value = object.getValue(field);
    if (value == null) {
      if (required) {
        throw new ConfigException(where + ": " + field + " is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ConfigException(where + ": " + field + " must be a non-empty string, got " + value);
    }
    return s;
  }

  Double number(String field) {
    Object value = object.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw new ConfigException(where + ": " + field + " must be a number, got " + value);
    }
    return n.doubleValue();
  }

  JsonArray array(String field) {
    Object value = object.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(where + ": " + field + " must be a list");
    }
    return array;
  }

  JsonObject optionalObject(String field) {
    Object value = object.getValue(field);
    return value == null ? null : object(value, where + " " + field);
  }

  JsonObject object(Object value, String what) {
    if (value instanceof JsonObject json) {
      return json;
    }
    if (value instanceof Map<?, ?>) {
      throw new IllegalStateException("unexpected raw map");
    }
    throw new ConfigException(what + ": must be a mapping, got " + value);
  }
}
