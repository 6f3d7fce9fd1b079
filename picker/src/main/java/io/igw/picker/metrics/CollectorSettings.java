package io.igw.picker.metrics;

/**
 * How the collector polls endpoints.
 *
 * @param scrapeIntervalMillis  period of {@code /metrics} scrapes per endpoint
 * @param modelsIntervalMillis  period of {@code /v1/models} polls per endpoint
 * @param timeoutMillis         connect and idle timeout of one poll
 * @param maxConcurrentPolls    polls in flight at once, over all endpoints
 * @param maxMetricsBytes       largest {@code /metrics} body read; a larger one fails the scrape
 * @param staleAfterMillis      an endpoint whose scrapes fail this long is no longer picked
 */
public record CollectorSettings(
    long scrapeIntervalMillis,
    long modelsIntervalMillis,
    long timeoutMillis,
    int maxConcurrentPolls,
    long maxMetricsBytes,
    long staleAfterMillis) {}
