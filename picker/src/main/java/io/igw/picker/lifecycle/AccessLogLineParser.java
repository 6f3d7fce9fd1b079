package io.igw.picker.lifecycle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses NGINX access-log lines sent over syslog (RFC 3164 as NGINX writes it):
 * {@code <PRI>Mmm dd hh:mm:ss [host ]tag: key=value key="value with spaces" ...}. Fields read: {@code request_id},
 * {@code endpoint} ({@code $upstream_addr}: {@code "a, b : c"}), {@code status}, {@code request_time},
 * {@code upstream_header_time} (several values like the address list: the last counts). {@code -} is empty.
 * Unknown keys are ignored; a line without a request id is malformed (null).
 */
public final class AccessLogLineParser {
  public static final int MAX_LINE_LENGTH = 8192;

  private AccessLogLineParser() {}

  public static Completion parse(String line) {
    if (line == null || line.length() > MAX_LINE_LENGTH) {
      return null;
    }
    int start = 0;
    if (line.startsWith("<")) {
      int tagEnd = line.indexOf(": ");
      if (tagEnd < 0) {
        return null;
      }
      start = tagEnd + 2;
    }
    Map<String, String> fields = fields(line, start);
    String requestId = fields.get("request_id");
    if (requestId == null || requestId.isEmpty()) {
      return null;
    }
    return new Completion(requestId, addresses(fields.get("endpoint")), parseInt(fields.get("status")),
        lastNumber(fields.get("request_time")), lastNumber(fields.get("upstream_header_time")));
  }

  static Map<String, String> fields(String line, int start) {
    Map<String, String> out = new HashMap<>();
    int p = start;
    int n = line.length();
    while (p < n) {
      while (p < n && line.charAt(p) == ' ') {
        p++;
      }
      int eq = line.indexOf('=', p);
      if (eq < 0) {
        break;
      }
      String key = line.substring(p, eq).trim();
      int valueStart = eq + 1;
      int valueEnd;
      int next;
      if (valueStart < n && line.charAt(valueStart) == '"') {
        valueStart++;
        valueEnd = line.indexOf('"', valueStart);
        if (valueEnd < 0) {
          valueEnd = n;
        }
        next = valueEnd + 1;
      } else {
        valueEnd = line.indexOf(' ', valueStart);
        if (valueEnd < 0) {
          valueEnd = n;
        }
        next = valueEnd;
      }
      String value = line.substring(valueStart, valueEnd).trim();
      if (!key.isEmpty() && key.indexOf(' ') < 0 && !value.equals("-")) {
        out.put(key, value);
      }
      p = next;
    }
    return out;
  }

  /** {@code $upstream_addr}: addresses separated by ", " (retries) and " : " (internal redirects). */
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
