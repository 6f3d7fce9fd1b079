package io.igw.picker.scheduling;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's duration text ({@code 2s}, {@code 1m30s}, {@code 500ms}, {@code 1.5s}) in whole
 * milliseconds.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Double> MILLIS_PER_UNIT =
      Map.of("ns", 1e-6, "us", 1e-3, "µs", 1e-3, "ms", 1.0, "s", 1e3, "m", 60e3, "h", 3600e3);

  private GoDuration() {}

  /** The duration in milliseconds (rounded down), or -1 when {@code text} is not a Go duration. */
  public static long millis(String text) {
    Matcher m = PART.matcher(text);
    double millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      millis += Double.parseDouble(m.group(1)) * MILLIS_PER_UNIT.get(m.group(2));
      end = m.end();
    }
    return end == 0 || end != text.length() || millis > Long.MAX_VALUE / 2 ? -1 : (long) millis;
  }
}
