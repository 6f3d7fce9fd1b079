package io.igw.picker.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A tolerant parser of the Prometheus text exposition format (version 0.0.4). It hands the samples
 * of the wanted metric names to a {@link SampleSink} and skips everything else. A malformed line is
 * skipped and counted, never thrown; a line longer than {@code maxLineLength} or with more than
 * {@value #MAX_LABELS} labels is malformed. Memory stays bounded by the input: nothing is kept
 * between lines but the counters. Lines of unwanted metrics are only checked as far as their name.
 */
public final class PrometheusTextParser {
  public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
  public static final int MAX_LABELS = 64;

  /** Receives each wanted sample. */
  @FunctionalInterface
  public interface SampleSink {
    void accept(String name, Map<String, String> labels, double value);
  }

  /** Counts of one parse. */
  public record ParseStats(int lines, int samples, int badLines) {}

  private final String[] wanted;
  private final int maxLineLength;

  public PrometheusTextParser(Collection<String> wantedNames) {
    this(wantedNames, DEFAULT_MAX_LINE_LENGTH);
  }

  public PrometheusTextParser(Collection<String> wantedNames, int maxLineLength) {
    this.wanted = wantedNames.toArray(String[]::new);
    this.maxLineLength = maxLineLength;
  }

  public ParseStats parse(String text, SampleSink sink) {
    int lines = 0;
    int samples = 0;
    int bad = 0;
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int eol = text.indexOf('\n', pos);
      if (eol < 0) {
        eol = n;
      }
      int end = eol > pos && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
      lines++;
      int outcome = end - pos > maxLineLength ? BAD : parseLine(text, pos, end, sink);
      if (outcome == BAD) {
        bad++;
      } else if (outcome == SAMPLE) {
        samples++;
      }
      pos = eol + 1;
    }
    return new ParseStats(lines, samples, bad);
  }

  private static final int SKIPPED = 0;
  private static final int SAMPLE = 1;
  private static final int BAD = 2;

  private int parseLine(String s, int start, int end, SampleSink sink) {
    int p = skipBlanks(s, start, end);
    if (p == end || s.charAt(p) == '#') {
      return SKIPPED;
    }
    int nameStart = p;
    if (!isNameStart(s.charAt(p))) {
      return BAD;
    }
    p++;
    while (p < end && isNameChar(s.charAt(p))) {
      p++;
    }
    String name = wantedName(s, nameStart, p);
    if (name == null) {
      return SKIPPED;
    }
    Map<String, String> labels = Map.of();
    if (p < end && s.charAt(p) == '{') {
      labels = new HashMap<>(8);
      p = parseLabels(s, p + 1, end, labels);
      if (p < 0) {
        return BAD;
      }
    }
    if (p == end || !isBlank(s.charAt(p))) {
      return BAD;
    }
    p = skipBlanks(s, p, end);
    int valueStart = p;
    while (p < end && !isBlank(s.charAt(p))) {
      p++;
    }
    boolean literalNaN = p - valueStart == 3 && s.regionMatches(valueStart, "NaN", 0, 3);
    double value = literalNaN ? Double.NaN : parseValue(s, valueStart, p);
    if (Double.isNaN(value) && !literalNaN) {
      return BAD;
    }
    if (!isTimestampOrNothing(s, p, end)) {
      return BAD;
    }
    sink.accept(name, labels, value);
    return SAMPLE;
  }

  private String wantedName(String s, int start, int end) {
    int length = end - start;
    for (String w : wanted) {
      if (w.length() == length && s.regionMatches(start, w, 0, length)) {
        return w;
      }
    }
    return null;
  }

  /**
   * Parses {@code name="value",...}} from just after the brace; returns the index after '}' or -1.
   */
  private static int parseLabels(String s, int p, int end, Map<String, String> labels) {
    StringBuilder value = new StringBuilder();
    while (true) {
      p = skipBlanks(s, p, end);
      if (p >= end) {
        return -1;
      }
      if (s.charAt(p) == '}') {
        return p + 1;
      }
      int nameStart = p;
      if (!isLabelNameStart(s.charAt(p))) {
        return -1;
      }
      while (p < end && isLabelNameChar(s.charAt(p))) {
        p++;
      }
      String labelName = s.substring(nameStart, p);
      p = skipBlanks(s, p, end);
      if (p >= end || s.charAt(p) != '=') {
        return -1;
      }
      p = skipBlanks(s, p + 1, end);
      if (p >= end || s.charAt(p) != '"') {
        return -1;
      }
      value.setLength(0);
      p = parseQuoted(s, p + 1, end, value);
      if (p < 0 || labels.size() >= MAX_LABELS) {
        return -1;
      }
      labels.put(labelName, value.toString());
      p = skipBlanks(s, p, end);
      if (p < end && s.charAt(p) == ',') {
        p++;
      } else if (p >= end || s.charAt(p) != '}') {
        return -1;
      }
    }
  }

  /**
   * Reads an escaped label value after its opening quote; returns the index after the closing quote
   * or -1.
   */
  private static int parseQuoted(String s, int p, int end, StringBuilder out) {
    while (p < end) {
      char c = s.charAt(p++);
      if (c == '"') {
        return p;
      }
      if (c == '\\') {
        if (p >= end) {
          return -1;
        }
        char e = s.charAt(p++);
        out.append(e == 'n' ? '\n' : e);
      } else {
        out.append(c);
      }
    }
    return -1;
  }

  /** The value, or NaN when malformed (the caller tells a literal NaN apart). */
  static double parseValue(String s, int start, int end) {
    int length = end - start;
    if (length == 0 || length > 64) {
      return Double.NaN;
    }
    if (length == 4 && s.regionMatches(start, "+Inf", 0, 4)
        || length == 3 && s.regionMatches(start, "Inf", 0, 3)) {
      return Double.POSITIVE_INFINITY;
    }
    if (length == 4 && s.regionMatches(start, "-Inf", 0, 4)) {
      return Double.NEGATIVE_INFINITY;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        return Double.NaN;
      }
    }
    try {
      return Double.parseDouble(s.substring(start, end));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static boolean isTimestampOrNothing(String s, int p, int end) {
    p = skipBlanks(s, p, end);
    if (p == end) {
      return true;
    }
    if (s.charAt(p) == '-') {
      p++;
    }
    int digits = p;
    while (p < end && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
      p++;
    }
    return p > digits && skipBlanks(s, p, end) == end;
  }

  private static int skipBlanks(String s, int p, int end) {
    while (p < end && isBlank(s.charAt(p))) {
      p++;
    }
    return p;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isNameStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
  }

  private static boolean isNameChar(char c) {
    return isNameStart(c) || c >= '0' && c <= '9';
  }

  private static boolean isLabelNameStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  private static boolean isLabelNameChar(char c) {
    return isLabelNameStart(c) || c >= '0' && c <= '9';
  }
}
