package io.igw.picker.lifecycle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses NGINX access-log lines sent over syslog (RFC 3164 as NGINX writes it), whose message is
 * one flat JSON object written by a {@code log_format ... escape=json}: {@code <PRI>Mmm dd hh:mm:ss
 * [host ]tag: {"request_id":"…","endpoint":"a, b : c",…}}. Fields read: {@code request_id}, {@code
 * endpoint} ({@code $upstream_addr}), {@code status}, {@code request_time}, {@code
 * upstream_header_time} (several values like the address list: the last counts), and the usage the
 * data plane read: {@code usage_prompt}, {@code usage_cached}, {@code usage_completion} (integers),
 * {@code usage_estimated} ({@code 1} when counted from a cut stream); {@code ""} and {@code -} are
 * absent. Unknown keys are ignored. A line that is not such an object, repeats a key, or has no
 * request id is rejected: a repeated key is what an injected field would look like, so no value of
 * it is trusted.
 */
public final class AccessLogLineParser {
  public static final int MAX_LINE_LENGTH = 8192;
  private static final JsonFactory JSON = new JsonFactory();

  /** Why a line was dropped; {@link #label} names it in metrics and logs. */
  public enum Rejection {
    MALFORMED("malformed"),
    DUPLICATE_KEY("duplicate_key"),
    NO_REQUEST_ID("no_request_id");

    public final String label;

    Rejection(String label) {
      this.label = label;
    }
  }

  /** Exactly one of the two is set. */
  public record Parsed(Completion completion, Rejection rejection) {}

  private AccessLogLineParser() {}

  /** The completion, or null when the line is rejected. */
  public static Completion parse(String line) {
    return read(line).completion();
  }

  public static Parsed read(String line) {
    if (line == null || line.length() > MAX_LINE_LENGTH) {
      return rejected(Rejection.MALFORMED);
    }
    int start = 0;
    if (line.startsWith("<")) {
      int tagEnd = line.indexOf(": ");
      if (tagEnd < 0) {
        return rejected(Rejection.MALFORMED);
      }
      start = tagEnd + 2;
    }
    Map<String, String> fields;
    try {
      fields = fields(line.substring(start));
    } catch (DuplicateKey e) {
      return rejected(Rejection.DUPLICATE_KEY);
    } catch (IOException | RuntimeException e) {
      return rejected(Rejection.MALFORMED);
    }
    String requestId = present(fields.get("request_id"));
    if (requestId == null) {
      return rejected(Rejection.NO_REQUEST_ID);
    }
    return new Parsed(
        new Completion(
            requestId,
            addresses(fields.get("endpoint")),
            parseInt(fields.get("status")),
            lastNumber(fields.get("request_time")),
            lastNumber(fields.get("upstream_header_time")),
            usage(fields)),
        null);
  }

  /** Usage needs at least a valid prompt or completion count; a value that is not one is absent. */
  static TokenUsage usage(Map<String, String> fields) {
    long prompt = count(fields.get("usage_prompt"));
    long completion = count(fields.get("usage_completion"));
    if (prompt < 0 && completion < 0) {
      return null;
    }
    long cached = count(fields.get("usage_cached"));
    return new TokenUsage(
        Math.max(prompt, 0),
        Math.max(cached, 0),
        Math.max(completion, 0),
        "1".equals(present(fields.get("usage_estimated"))));
  }

  /** A non-negative decimal count below 10^12, else -1. */
  private static long count(String value) {
    String text = present(value);
    if (text == null || text.length() > 12) {
      return -1;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(text);
  }

  /** NGINX writes an unset variable as {@code ""} or {@code -}: absent. */
  private static String present(String value) {
    return value == null || value.isEmpty() || value.equals("-") ? null : value;
  }

  private static Parsed rejected(Rejection why) {
    return new Parsed(null, why);
  }

  /**
   * The object's scalar fields as text ({@code ""} for null); anything nested or trailing is
   * malformed.
   */
  static Map<String, String> fields(String json) throws IOException {
    Map<String, String> out = new HashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == null || value.isStructStart()) {
          throw new IOException("field " + key + " is not a scalar");
        }
        if (out.put(key, value == JsonToken.VALUE_NULL ? "" : parser.getText()) != null) {
          throw new DuplicateKey();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new IOException("not one JSON object");
      }
    }
    return out;
  }

  private static final class DuplicateKey extends RuntimeException {
    DuplicateKey() {
      super(null, null, false, false);
    }
  }

  /**
   * {@code $upstream_addr}: addresses separated by ", " (retries) and " : " (internal redirects).
   */
  static List<String> addresses(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split("\\s*,\\s*|\\s+:\\s+")) {
      String address = part.trim();
      if (!address.isEmpty() && !address.equals("-")) {
        out.add(address);
      }
    }
    return out;
  }

  private static double lastNumber(String value) {
    List<String> parts = addresses(value);
    if (parts.isEmpty()) {
      return -1;
    }
    try {
      return Double.parseDouble(parts.get(parts.size() - 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int parseInt(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
