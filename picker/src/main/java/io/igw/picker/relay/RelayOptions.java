package io.igw.picker.relay;

import io.igw.picker.options.OptionsJson;
import io.vertx.core.json.JsonObject;

/**
 * Options of the response relay: its port (negative: off), how long a connection to a model server
 * may take, the upstream timeout when NGINX does not pass one, and how many connections it keeps
 * open to one model server.
 */
public class RelayOptions {
  public static final int DEFAULT_PORT = -1;

  /** As NGINX's {@code proxy_connect_timeout} on the direct path. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2000;

  /**
   * As the controller's default {@code --upstream-timeout-ms}; NGINX passes the rendered one with
   * each request.
   */
  public static final long DEFAULT_UPSTREAM_TIMEOUT_MS = 600_000;

  public static final int DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT = 256;

  private int port = DEFAULT_PORT;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long upstreamTimeoutMs = DEFAULT_UPSTREAM_TIMEOUT_MS;
  private int maxConnectionsPerEndpoint = DEFAULT_MAX_CONNECTIONS_PER_ENDPOINT;

  public RelayOptions() {}

  public RelayOptions(JsonObject json) {
    setPort(OptionsJson.integer(json, "port", port));
    setConnectTimeoutMs(OptionsJson.longInteger(json, "connectTimeoutMs", connectTimeoutMs));
    setUpstreamTimeoutMs(OptionsJson.longInteger(json, "upstreamTimeoutMs", upstreamTimeoutMs));
    setMaxConnectionsPerEndpoint(
        OptionsJson.integer(json, "maxConnectionsPerEndpoint", maxConnectionsPerEndpoint));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("port", port)
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("upstreamTimeoutMs", upstreamTimeoutMs)
        .put("maxConnectionsPerEndpoint", maxConnectionsPerEndpoint);
  }

  /**
   * Port of the relay's HTTP listener (on the picker's host); 0 picks a free one; negative: no
   * relay.
   */
  public int getPort() {
    return port;
  }

  public RelayOptions setPort(int port) {
    if (port > 65535) {
      throw new IllegalArgumentException("port must be at most 65535 (negative: off), got " + port);
    }
    this.port = port;
    return this;
  }

  public long getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  /** Past it, the next endpoint of the pick is tried. */
  public RelayOptions setConnectTimeoutMs(long connectTimeoutMs) {
    if (connectTimeoutMs < 1) {
      throw new IllegalArgumentException(
          "connectTimeoutMs must be at least 1, got " + connectTimeoutMs);
    }
    this.connectTimeoutMs = connectTimeoutMs;
    return this;
  }

  public long getUpstreamTimeoutMs() {
    return upstreamTimeoutMs;
  }

  /** How long the relay waits on a model server between two reads, unless NGINX passes its own. */
  public RelayOptions setUpstreamTimeoutMs(long upstreamTimeoutMs) {
    if (upstreamTimeoutMs < 1) {
      throw new IllegalArgumentException(
          "upstreamTimeoutMs must be at least 1, got " + upstreamTimeoutMs);
    }
    this.upstreamTimeoutMs = upstreamTimeoutMs;
    return this;
  }

  public int getMaxConnectionsPerEndpoint() {
    return maxConnectionsPerEndpoint;
  }

  /**
   * HTTP/1.1 connections kept to one model server; requests beyond wait for one (NGINX bounds them
   * all).
   */
  public RelayOptions setMaxConnectionsPerEndpoint(int maxConnectionsPerEndpoint) {
    if (maxConnectionsPerEndpoint < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerEndpoint must be at least 1, got " + maxConnectionsPerEndpoint);
    }
    this.maxConnectionsPerEndpoint = maxConnectionsPerEndpoint;
    return this;
  }
}
