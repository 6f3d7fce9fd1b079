package io.igw.picker.metrics;

import io.igw.picker.options.OptionsJson;
import io.vertx.core.json.JsonObject;

/**
 * How the collector polls endpoints: {@code /metrics} and {@code /v1/models} periods, timeouts and
 * bounds.
 */
public class CollectorOptions {
  public static final long DEFAULT_SCRAPE_INTERVAL_MS = 50;
  public static final long DEFAULT_MODELS_INTERVAL_MS = 2000;
  public static final long DEFAULT_SCRAPE_TIMEOUT_MS = 1000;
  public static final int DEFAULT_MAX_CONCURRENT_SCRAPES = 64;
  public static final long DEFAULT_MAX_METRICS_BYTES = 4L * 1024 * 1024;

  private long scrapeIntervalMs = DEFAULT_SCRAPE_INTERVAL_MS;
  private long modelsIntervalMs = DEFAULT_MODELS_INTERVAL_MS;
  private long scrapeTimeoutMs = DEFAULT_SCRAPE_TIMEOUT_MS;
  private int maxConcurrentScrapes = DEFAULT_MAX_CONCURRENT_SCRAPES;
  private long maxMetricsBytes = DEFAULT_MAX_METRICS_BYTES;

  public CollectorOptions() {}

  public CollectorOptions(JsonObject json) {
    setScrapeIntervalMs(OptionsJson.longInteger(json, "scrapeIntervalMs", scrapeIntervalMs));
    setModelsIntervalMs(OptionsJson.longInteger(json, "modelsIntervalMs", modelsIntervalMs));
    setScrapeTimeoutMs(OptionsJson.longInteger(json, "scrapeTimeoutMs", scrapeTimeoutMs));
    setMaxConcurrentScrapes(
        OptionsJson.integer(json, "maxConcurrentScrapes", maxConcurrentScrapes));
    setMaxMetricsBytes(OptionsJson.longInteger(json, "maxMetricsBytes", maxMetricsBytes));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("scrapeIntervalMs", scrapeIntervalMs)
        .put("modelsIntervalMs", modelsIntervalMs)
        .put("scrapeTimeoutMs", scrapeTimeoutMs)
        .put("maxConcurrentScrapes", maxConcurrentScrapes)
        .put("maxMetricsBytes", maxMetricsBytes);
  }

  /** Period of {@code /metrics} scrapes per endpoint. */
  public long getScrapeIntervalMs() {
    return scrapeIntervalMs;
  }

  public CollectorOptions setScrapeIntervalMs(long scrapeIntervalMs) {
    this.scrapeIntervalMs = atLeastOne("scrapeIntervalMs", scrapeIntervalMs);
    return this;
  }

  /** Period of {@code /v1/models} polls per endpoint. */
  public long getModelsIntervalMs() {
    return modelsIntervalMs;
  }

  public CollectorOptions setModelsIntervalMs(long modelsIntervalMs) {
    this.modelsIntervalMs = atLeastOne("modelsIntervalMs", modelsIntervalMs);
    return this;
  }

  /** Connect and idle timeout of one poll. */
  public long getScrapeTimeoutMs() {
    return scrapeTimeoutMs;
  }

  public CollectorOptions setScrapeTimeoutMs(long scrapeTimeoutMs) {
    this.scrapeTimeoutMs = atLeastOne("scrapeTimeoutMs", scrapeTimeoutMs);
    return this;
  }

  /** Polls in flight at once, over all endpoints. */
  public int getMaxConcurrentScrapes() {
    return maxConcurrentScrapes;
  }

  public CollectorOptions setMaxConcurrentScrapes(int maxConcurrentScrapes) {
    this.maxConcurrentScrapes = (int) atLeastOne("maxConcurrentScrapes", maxConcurrentScrapes);
    return this;
  }

  /** Largest {@code /metrics} body read; a larger one fails the scrape. */
  public long getMaxMetricsBytes() {
    return maxMetricsBytes;
  }

  public CollectorOptions setMaxMetricsBytes(long maxMetricsBytes) {
    this.maxMetricsBytes = atLeastOne("maxMetricsBytes", maxMetricsBytes);
    return this;
  }

  private static long atLeastOne(String field, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, got " + value);
    }
    return value;
  }
}
