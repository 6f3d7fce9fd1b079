package io.igw.picker.ratelimit;

import io.igw.picker.options.OptionsJson;
import io.vertx.core.json.JsonObject;

/**
 * Where the buckets live and how many a {@code "*"} rule may make. Without {@code redisUrl} the
 * buckets are in this picker's memory (one replica, or each replica its own budget).
 */
public class RateLimitOptions {
  public static final String DEFAULT_REDIS_URL = null;
  public static final long DEFAULT_REDIS_TIMEOUT_MS = 250;
  public static final int DEFAULT_MAX_DISTINCT_VALUES = 10_000;

  private String redisUrl = DEFAULT_REDIS_URL;
  private long redisTimeoutMs = DEFAULT_REDIS_TIMEOUT_MS;
  private int maxDistinctValues = DEFAULT_MAX_DISTINCT_VALUES;
  private java.time.Clock clock = java.time.Clock.systemUTC();

  public RateLimitOptions() {}

  public RateLimitOptions(JsonObject json) {
    setRedisUrl(OptionsJson.string(json, "redisUrl", redisUrl));
    setRedisTimeoutMs(OptionsJson.longInteger(json, "redisTimeoutMs", redisTimeoutMs));
    setMaxDistinctValues(OptionsJson.integer(json, "maxDistinctValues", maxDistinctValues));
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("redisTimeoutMs", redisTimeoutMs)
            .put("maxDistinctValues", maxDistinctValues);
    return redisUrl == null ? json : json.put("redisUrl", redisUrl);
  }

  public String getRedisUrl() {
    return redisUrl;
  }

  /** {@code redis://host:port[/db]} (or {@code rediss://}); null: buckets in memory. */
  public RateLimitOptions setRedisUrl(String redisUrl) {
    if (redisUrl != null
        && !redisUrl.startsWith("redis://")
        && !redisUrl.startsWith("rediss://")
        && !redisUrl.startsWith("unix://")) {
      throw new IllegalArgumentException(
          "redisUrl must be redis://host:port, rediss://... or unix://..., got " + redisUrl);
    }
    this.redisUrl = redisUrl;
    return this;
  }

  public long getRedisTimeoutMs() {
    return redisTimeoutMs;
  }

  /** How long one Redis call may take before it counts as a store failure. */
  public RateLimitOptions setRedisTimeoutMs(long redisTimeoutMs) {
    if (redisTimeoutMs < 1 || redisTimeoutMs > 10_000) {
      throw new IllegalArgumentException(
          "redisTimeoutMs must be between 1 and 10000, got " + redisTimeoutMs);
    }
    this.redisTimeoutMs = redisTimeoutMs;
    return this;
  }

  public int getMaxDistinctValues() {
    return maxDistinctValues;
  }

  /** Buckets one {@code "*"} rule keeps per limit before new values share {@code other}. */
  public RateLimitOptions setMaxDistinctValues(int maxDistinctValues) {
    if (maxDistinctValues < 1 || maxDistinctValues > 10_000_000) {
      throw new IllegalArgumentException(
          "maxDistinctValues must be between 1 and 10000000, got " + maxDistinctValues);
    }
    this.maxDistinctValues = maxDistinctValues;
    return this;
  }

  /** The picker's clock (not in the JSON form): in-memory buckets and distinct-value expiry. */
  public java.time.Clock getClock() {
    return clock;
  }

  public RateLimitOptions setClock(java.time.Clock clock) {
    this.clock = java.util.Objects.requireNonNull(clock, "clock must be set");
    return this;
  }
}
