package io.igw.simulator.kvevents;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * vLLM's {@code --kv-events-config} ({@code KVEventsConfig}), field for field with vLLM's defaults.
 * Events are published only when enabled with the {@code zmq} publisher ({@code null} publishes
 * nothing, as in vLLM).
 *
 * @param endpoint where the PUB socket binds (the address contains {@code *}) or connects
 * @param replayEndpoint where the replay ROUTER binds, or null for no replay
 * @param bufferSteps batches kept for replay
 * @param hwm the PUB socket's send high-water mark (messages queued per subscriber)
 * @param maxQueueSize batches waiting for the publisher thread; more are dropped
 */
public record KvEventsConfig(
    boolean enabled,
    String publisher,
    String endpoint,
    String replayEndpoint,
    int bufferSteps,
    int hwm,
    int maxQueueSize,
    String topic) {

  public static final String DEFAULT_PUBLISHER = "zmq";
  public static final String DEFAULT_ENDPOINT = "tcp://*:5557";
  public static final int DEFAULT_BUFFER_STEPS = 10_000;
  public static final int DEFAULT_HWM = 100_000;
  public static final int DEFAULT_MAX_QUEUE_SIZE = 100_000;
  public static final String DEFAULT_TOPIC = "";
  public static final KvEventsConfig DISABLED =
      new KvEventsConfig(
          false,
          DEFAULT_PUBLISHER,
          DEFAULT_ENDPOINT,
          null,
          DEFAULT_BUFFER_STEPS,
          DEFAULT_HWM,
          DEFAULT_MAX_QUEUE_SIZE,
          DEFAULT_TOPIC);

  private static final Set<String> FIELDS =
      Set.of(
          "enable_kv_cache_events",
          "publisher",
          "endpoint",
          "replay_endpoint",
          "buffer_steps",
          "hwm",
          "max_queue_size",
          "topic");

  public KvEventsConfig {
    if (!publisher.equals("zmq") && !publisher.equals("null")) {
      throw new IllegalArgumentException(
          "kv-events publisher must be zmq or null, not '" + publisher + "'");
    }
    if (bufferSteps < 0 || hwm < 0 || maxQueueSize < 1) {
      throw new IllegalArgumentException(
          "kv-events buffer_steps, hwm and max_queue_size must be positive");
    }
  }

  /**
   * Parses vLLM's JSON; an unknown field or a wrong type is an IllegalArgumentException naming it.
   */
  public static KvEventsConfig parse(String json) {
    try {
      return fromJson(new JsonObject(json));
    } catch (DecodeException e) {
      throw new IllegalArgumentException("--kv-events-config is not a JSON object: " + json);
    }
  }

  public static KvEventsConfig fromJson(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "unknown kv-events-config field '" + field + "'; known: " + FIELDS);
      }
    }
    try {
      return new KvEventsConfig(
          json.getBoolean("enable_kv_cache_events", false),
          json.getString("publisher", DEFAULT_PUBLISHER),
          json.getString("endpoint", DEFAULT_ENDPOINT),
          json.getString("replay_endpoint"),
          json.getInteger("buffer_steps", DEFAULT_BUFFER_STEPS),
          json.getInteger("hwm", DEFAULT_HWM),
          json.getInteger("max_queue_size", DEFAULT_MAX_QUEUE_SIZE),
          json.getString("topic", DEFAULT_TOPIC));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(
          "kv-events-config has a field of the wrong type: " + json.encode());
    }
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("enable_kv_cache_events", enabled)
            .put("publisher", publisher)
            .put("endpoint", endpoint)
            .put("buffer_steps", bufferSteps)
            .put("hwm", hwm)
            .put("max_queue_size", maxQueueSize)
            .put("topic", topic);
    if (replayEndpoint != null) {
      json.put("replay_endpoint", replayEndpoint);
    }
    return json;
  }

  /** Whether a ZMQ publisher runs. */
  public boolean publishes() {
    return enabled && publisher.equals("zmq");
  }

  /** vLLM's rule: bind when the address has a wildcard or is ipc/inproc, otherwise connect. */
  static boolean binds(String endpoint) {
    return endpoint.contains("*")
        || endpoint.contains("::")
        || endpoint.startsWith("ipc://")
        || endpoint.startsWith("inproc://");
  }
}
