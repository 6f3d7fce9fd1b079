package io.igw.bench.lab;

import io.igw.picker.metrics.CollectorOptions;
import io.igw.simulator.engine.EngineConfig;

/**
 * The lab's cluster: {@code servers} engines of one config, scraped every {@code
 * scrapeIntervalMillis} of virtual time (the picker's 50 ms), requests for {@code baseModel} run
 * without an adapter, any other model name is a LoRA adapter. A client gives up on a request {@code
 * timeoutSeconds} after sending it (the server then drops it). Precise policies get the engines' KV
 * events as {@code kvEvents} says. With {@code clientMaxInFlight} > 0 the clients send at most that
 * many requests at once (the others wait in the client, as with a load generator's fixed worker
 * pool); 0: open loop, every request sent at its arrival.
 */
public record LabSettings(
    int servers,
    EngineConfig engine,
    long scrapeIntervalMillis,
    String baseModel,
    long seed,
    double timeoutSeconds,
    KvEventDelivery kvEvents,
    int clientMaxInFlight) {
  /** The picker's collector's. */
  public static final long DEFAULT_SCRAPE_INTERVAL_MILLIS =
      CollectorOptions.DEFAULT_SCRAPE_INTERVAL_MS;

  public static final double DEFAULT_TIMEOUT_SECONDS = 600;

  public LabSettings {
    if (servers < 1 || scrapeIntervalMillis < 1 || !(timeoutSeconds > 0)) {
      throw new IllegalArgumentException(
          "lab needs ≥ 1 server, a scrape interval ≥ 1 ms and a timeout > 0");
    }
    if (clientMaxInFlight < 0) {
      throw new IllegalArgumentException(
          "clientMaxInFlight must be ≥ 0 (0: no cap), got " + clientMaxInFlight);
    }
    if (kvEvents == null) {
      throw new IllegalArgumentException("kvEvents is required (KvEventDelivery.DEFAULTS)");
    }
  }

  /** With the default KV-event delivery (at once, none lost). */
  public LabSettings(
      int servers,
      EngineConfig engine,
      long scrapeIntervalMillis,
      String baseModel,
      long seed,
      double timeoutSeconds) {
    this(
        servers,
        engine,
        scrapeIntervalMillis,
        baseModel,
        seed,
        timeoutSeconds,
        KvEventDelivery.DEFAULTS,
        0);
  }

  public LabSettings withKvEvents(KvEventDelivery delivery) {
    return new LabSettings(
        servers,
        engine,
        scrapeIntervalMillis,
        baseModel,
        seed,
        timeoutSeconds,
        delivery,
        clientMaxInFlight);
  }
}
