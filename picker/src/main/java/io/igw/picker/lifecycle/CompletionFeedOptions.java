package io.igw.picker.lifecycle;

import io.igw.picker.options.OptionsJson;
import io.vertx.core.json.JsonObject;

/**
 * The syslog completion feed (NGINX's access log lines, docs/pick-api.md): its UDP port, and how
 * long a request whose completion never arrives still counts as in flight.
 */
public class CompletionFeedOptions {
  /** The completion feed is off unless a port is set. */
  public static final int DEFAULT_PORT = -1;

  public static final long DEFAULT_IN_FLIGHT_EXPIRY_MS = 300_000;

  private int port = DEFAULT_PORT;
  private long inFlightExpiryMs = DEFAULT_IN_FLIGHT_EXPIRY_MS;

  public CompletionFeedOptions() {}

  public CompletionFeedOptions(JsonObject json) {
    setPort(OptionsJson.integer(json, "port", port));
    setInFlightExpiryMs(OptionsJson.longInteger(json, "inFlightExpiryMs", inFlightExpiryMs));
  }

  public JsonObject toJson() {
    return new JsonObject().put("port", port).put("inFlightExpiryMs", inFlightExpiryMs);
  }

  /** UDP port (on the pick API's host); 0 picks a free one, negative turns the feed off. */
  public int getPort() {
    return port;
  }

  public CompletionFeedOptions setPort(int port) {
    if (port > 65535) {
      throw new IllegalArgumentException("port must be at most 65535 (negative: off), got " + port);
    }
    this.port = port;
    return this;
  }

  /** A request whose completion never arrives stops counting as in flight after this long. */
  public long getInFlightExpiryMs() {
    return inFlightExpiryMs;
  }

  public CompletionFeedOptions setInFlightExpiryMs(long inFlightExpiryMs) {
    if (inFlightExpiryMs < 1) {
      throw new IllegalArgumentException(
          "inFlightExpiryMs must be at least 1, got " + inFlightExpiryMs);
    }
    this.inFlightExpiryMs = inFlightExpiryMs;
    return this;
  }
}
