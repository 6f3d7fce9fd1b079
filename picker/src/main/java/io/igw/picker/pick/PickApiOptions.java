package io.igw.picker.pick;

import io.igw.picker.options.OptionsJson;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** Where the HTTP pick API listens, on how many event loops, and the largest body it accepts. */
public class PickApiOptions {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9001;
  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  /**
   * The longest request line the pick API reads: NGINX passes URIs of up to its 8 KiB header
   * buffers, percent-encoded (a pick's {@code path}, a {@code /v1/models/<id>}), so up to three
   * times as long.
   */
  public static final int MAX_INITIAL_LINE_BYTES = 32 * 1024;

  /** One pick API event loop per processor the JVM may use. */
  public static final int DEFAULT_PICK_THREADS = Runtime.getRuntime().availableProcessors();

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int pickThreads = DEFAULT_PICK_THREADS;
  private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

  public PickApiOptions() {}

  public PickApiOptions(JsonObject json) {
    setHost(OptionsJson.string(json, "host", host));
    setPort(OptionsJson.integer(json, "port", port));
    setPickThreads(OptionsJson.integer(json, "pickThreads", pickThreads));
    setMaxBodyBytes(OptionsJson.longInteger(json, "maxBodyBytes", maxBodyBytes));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("pickThreads", pickThreads)
        .put("maxBodyBytes", maxBodyBytes);
  }

  /** Address of the pick API (and of the completion feed). */
  public String getHost() {
    return host;
  }

  public PickApiOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host must be set");
    return this;
  }

  /** Port of the HTTP pick API; 0 picks a free one (see {@code PickerServer#port()}). */
  public int getPort() {
    return port;
  }

  public PickApiOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    this.port = port;
    return this;
  }

  /** How many event loops serve the pick API (instances sharing its port); at least 1. */
  public int getPickThreads() {
    return pickThreads;
  }

  public PickApiOptions setPickThreads(int pickThreads) {
    if (pickThreads < 1) {
      throw new IllegalArgumentException("pickThreads must be at least 1, got " + pickThreads);
    }
    this.pickThreads = pickThreads;
    return this;
  }

  /** Largest request body accepted on {@code /pick}; larger is 413. */
  public long getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public PickApiOptions setMaxBodyBytes(long maxBodyBytes) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }
}
