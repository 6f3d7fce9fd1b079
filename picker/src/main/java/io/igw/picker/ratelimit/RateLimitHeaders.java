package io.igw.picker.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's rate-limit headers: {@code x-ratelimit-limit-tokens}, {@code
 * x-ratelimit-remaining-tokens}, {@code x-ratelimit-reset-tokens} and the {@code -requests} trio,
 * each for the bucket with the least left after this request; resets as Go durations ({@code 6m0s},
 * {@code 1.574s}, {@code 12ms}), as OpenAI writes them. {@code retry-after} in whole seconds
 * (rounded up).
 */
public final class RateLimitHeaders {
  public static final String PREFIX = "x-ratelimit-";
  public static final String RETRY_AFTER = "retry-after";

  private RateLimitHeaders() {}

  /** The trio of one kind ({@code tokens} or {@code requests}) into {@code out}. */
  static void put(
      Map<String, String> out, String kind, long limit, double remaining, long resetMillis) {
    out.put(PREFIX + "limit-" + kind, Long.toString(limit));
    out.put(PREFIX + "remaining-" + kind, Long.toString((long) Math.max(0, Math.floor(remaining))));
    out.put(PREFIX + "reset-" + kind, goDuration(resetMillis));
  }

  static Map<String, String> retryAfter(Map<String, String> headers, long millis) {
    Map<String, String> out = new LinkedHashMap<>(headers);
    out.put(RETRY_AFTER, Long.toString(Math.max(1, (millis + 999) / 1000)));
    return out;
  }

  /** Go's {@code time.Duration.String()} of a whole number of milliseconds. */
  public static String goDuration(long millis) {
    if (millis <= 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long fraction = millis % 1000;
    StringBuilder out = new StringBuilder();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(seconds);
    if (fraction > 0) {
      String digits = String.format("%03d", fraction);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(digits, 0, end);
    }
    return out.append('s').toString();
  }

  /** A duration for a message: {@code 1.574s}, {@code 6m0s}. */
  static String forMessage(long millis) {
    return goDuration(Math.max(1, millis));
  }
}
