package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code flowControl} section of an EndpointPickerConfig (the reference's shape, plus
 * igw's {@code maxRequests} per band). Sizes are Kubernetes quantities ({@code 512Mi}, {@code 1G},
 * {@code 1000}), the TTL a Go duration ({@code 4s}, {@code 1500ms}); absurd values fail, naming the
 * field.
 */
final class FlowControlConfigReader {
  static final String FEATURE_GATE = "flowControl";
  static final long MAX_BYTES = 64L << 30;
  static final int MAX_REQUESTS = 1_000_000;
  static final long MAX_TTL_MILLIS = 3_600_000;
  static final int MAX_BANDS = 1000;
  private static final Pattern QUANTITY =
      Pattern.compile("(\\d{1,20}(?:\\.\\d{1,9})?)(Ki|Mi|Gi|Ti|k|M|G|T)?");
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> SUFFIXES =
      Map.of(
          "Ki",
          1L << 10,
          "Mi",
          1L << 20,
          "Gi",
          1L << 30,
          "Ti",
          1L << 40,
          "k",
          1000L,
          "M",
          1_000_000L,
          "G",
          1_000_000_000L,
          "T",
          1_000_000_000_000L);
  private static final Map<String, BigDecimal> NANOS_PER_UNIT =
      Map.of(
          "ns",
          BigDecimal.ONE,
          "us",
          BigDecimal.valueOf(1000),
          "µs",
          BigDecimal.valueOf(1000),
          "ms",
          BigDecimal.valueOf(1_000_000),
          "s",
          BigDecimal.valueOf(1_000_000_000L),
          "m",
          BigDecimal.valueOf(60_000_000_000L),
          "h",
          BigDecimal.valueOf(3_600_000_000_000L));

  private FlowControlConfigReader() {}

  static FlowControlConfig read(Fields top, Object section) {
    if (section == null) {
      return FlowControlConfig.DEFAULTS;
    }
    String where = "flowControl";
    Fields f =
        new Fields(
            where,
            top.object(section, where),
            "maxBytes",
            "defaultRequestTTL",
            "defaultPriorityBand",
            "priorityBands");
    JsonObject raw = top.object(section, where);
    long maxBytes = bytes(where, "maxBytes", raw.getValue("maxBytes"), 0);
    long ttl =
        raw.getValue("defaultRequestTTL") == null
            ? FlowControlConfig.DEFAULT_REQUEST_TTL_MILLIS
            : ttlMillis(where + ": defaultRequestTTL", raw.getValue("defaultRequestTTL"));
    BandLimits defaultBand = BandLimits.DEFAULTS;
    if (raw.getValue("defaultPriorityBand") != null) {
      String bandWhere = where + ".defaultPriorityBand";
      defaultBand =
          band(bandWhere, top.object(raw.getValue("defaultPriorityBand"), bandWhere), false)
              .limits();
    }
    JsonArray list = f.array("priorityBands");
    if (list.size() > MAX_BANDS) {
      throw new ConfigException(
          where + ": priorityBands: at most " + MAX_BANDS + " bands, got " + list.size());
    }
    Map<Integer, BandLimits> bands = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String bandWhere = where + ".priorityBands[" + i + "]";
      Band band = band(bandWhere, top.object(list.getValue(i), bandWhere), true);
      if (bands.put(band.priority(), band.limits()) != null) {
        throw new ConfigException(
            bandWhere + ": priority " + band.priority() + " is configured twice");
      }
    }
    return new FlowControlConfig(maxBytes, ttl, defaultBand, bands);
  }

  private record Band(int priority, BandLimits limits) {}

  private static Band band(String where, JsonObject raw, boolean needsPriority) {
    Fields f =
        needsPriority
            ? new Fields(
                where,
                raw,
                "priority",
                "maxBytes",
                "maxRequests",
                "fairnessPolicyRef",
                "orderingPolicyRef")
            : new Fields(
                where, raw, "maxBytes", "maxRequests", "fairnessPolicyRef", "orderingPolicyRef");
    int priority = 0;
    if (needsPriority) {
      Object value = raw.getValue("priority");
      if (value == null) {
        throw new ConfigException(where + ": priority is required");
      }
      priority = (int) integer(where, "priority", value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    policyRef(where, f, "fairnessPolicyRef", "global-strict-fairness-policy");
    policyRef(where, f, "orderingPolicyRef", "fcfs-ordering-policy");
    long maxBytes = bytes(where, "maxBytes", raw.getValue("maxBytes"), 0);
    Object requests = raw.getValue("maxRequests");
    int maxRequests =
        requests == null
            ? BandLimits.DEFAULT_MAX_REQUESTS
            : (int) integer(where, "maxRequests", requests, 0, MAX_REQUESTS);
    return new Band(
        priority,
        new BandLimits(maxBytes == 0 ? BandLimits.DEFAULT_MAX_BYTES : maxBytes, maxRequests));
  }

  /**
   * Only the reference's defaults exist here (one flow per band, FIFO): naming another policy
   * fails.
   */
  private static void policyRef(String where, Fields f, String field, String only) {
    String ref = f.string(field, false);
    if (ref != null && !ref.equals(only)) {
      throw new ConfigException(
          where + ": " + field + " " + ref + " is not supported (only " + only + ")");
    }
  }

  /** A byte quantity; absent: {@code absent}. 0 is allowed (the reference's "use the default"). */
  static long bytes(String where, String field, Object value, long absent) {
    if (value == null) {
      return absent;
    }
    long bytes;
    if (value instanceof Number) {
      bytes = integer(where, field, value, 0, MAX_BYTES);
    } else if (value instanceof String s) {
      Matcher m = QUANTITY.matcher(s.trim());
      if (!m.matches()) {
        throw new ConfigException(
            where + ": " + field + " must be a byte quantity such as 512Mi or 1G, got " + s);
      }
      BigDecimal amount =
          new BigDecimal(m.group(1))
              .multiply(BigDecimal.valueOf(m.group(2) == null ? 1 : SUFFIXES.get(m.group(2))));
      if (amount.compareTo(BigDecimal.valueOf(MAX_BYTES)) > 0
          || amount.stripTrailingZeros().scale() > 0) {
        throw new ConfigException(
            where + ": " + field + " must be a whole number of bytes ≤ 64Gi, got " + s);
      }
      bytes = amount.longValueExact();
    } else {
      throw new ConfigException(where + ": " + field + " must be a byte quantity, got " + value);
    }
    return bytes;
  }

  /** A Go duration string, 1 ms to 1 h. */
  static long ttlMillis(String where, Object value) {
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ConfigException(where + " must be a duration such as 4s or 1500ms, got " + value);
    }
    Matcher m = DURATION_PART.matcher(s.trim());
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(NANOS_PER_UNIT.get(m.group(2))));
      end = m.end();
    }
    if (end == 0 || end != s.trim().length()) {
      throw new ConfigException(where + " must be a duration such as 4s or 1500ms, got " + s);
    }
    BigDecimal millis = nanos.divide(BigDecimal.valueOf(1_000_000));
    if (millis.compareTo(BigDecimal.ONE) < 0
        || millis.compareTo(BigDecimal.valueOf(MAX_TTL_MILLIS)) > 0) {
      throw new ConfigException(where + " must be between 1ms and 1h, got " + s);
    }
    return millis.longValue();
  }

  private static long integer(String where, String field, Object value, long min, long max) {
    if (!(value instanceof Integer
        || value instanceof Long
        || value instanceof java.math.BigInteger)) {
      throw new ConfigException(where + ": " + field + " must be an integer, got " + value);
    }
    BigDecimal n = new BigDecimal(value.toString());
    if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new ConfigException(
          where + ": " + field + " must be between " + min + " and " + max + ", got " + value);
    }
    return n.longValue();
  }
}
