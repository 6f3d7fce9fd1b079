package io.igw.picker.kvcache;

import io.vertx.core.json.JsonObject;

/**
 * Options of the KV event subscriptions and their index. Names follow llm-d's {@code
 * kvEventsConfig} ({@code topicFilter}, {@code podDiscoveryConfig.socketPort}, {@code
 * replaySocketPort}) and {@code tokenProcessorConfig} ({@code blockSizeTokens}, {@code hashSeed})
 * where they mean the same.
 */
public class KvEventsOptions {
  /** vLLM's default PUB port ({@code tcp://*:5557}). */
  public static final int DEFAULT_SOCKET_PORT = 5557;

  /** The replay ROUTER's port; 0 subscribes without replay. */
  public static final int DEFAULT_REPLAY_SOCKET_PORT = 5558;

  public static final String DEFAULT_TOPIC_FILTER = "kv@";
  public static final int DEFAULT_BLOCK_SIZE_TOKENS = BlockKeys.DEFAULT_BLOCK_SIZE;
  public static final long DEFAULT_HASH_SEED = BlockKeys.DEFAULT_SEED;
  public static final int DEFAULT_INDEX_BUDGET_ENTRIES = KvEventIndex.DEFAULT_BUDGET_ENTRIES;

  /** Endpoints one poller thread serves; more endpoints start more threads. */
  public static final int DEFAULT_ENDPOINTS_PER_POLLER = 64;

  /** Least time between two replays of one endpoint; a gap within it is accepted as lost. */
  public static final long DEFAULT_REPLAY_COOLDOWN_MS = 1000;

  /** A replay without its end marker by then is abandoned. */
  public static final long DEFAULT_REPLAY_TIMEOUT_MS = 2000;

  /** Replays in flight at once over all endpoints (llm-d: 8). */
  public static final int DEFAULT_MAX_CONCURRENT_REPLAYS = 8;

  /** How often the datastore's endpoints are compared with the subscriptions. */
  public static final long DEFAULT_DISCOVERY_INTERVAL_MS = 1000;

  /** Larger messages close the connection (ZMQ_MAXMSGSIZE). */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 16L * 1024 * 1024;

  /** Messages a SUB socket queues before it drops (which shows as a gap). */
  public static final int DEFAULT_RECEIVE_HWM = 10_000;

  /** Live batches held while a replay runs; beyond, they are dropped (and show as a gap). */
  public static final int DEFAULT_MAX_HELD_BATCHES = 10_000;

  /**
   * A connection whose ZMTP handshake has not finished by then is dropped and dialled again
   * (ZMQ_HANDSHAKE_IVL). libzmq waits 30 s; JeroMQ 0.6.0 now and then leaves a fresh TCP connection
   * unread (the peer's greeting sits in the socket), so a short bound is what gets such a
   * subscription going.
   */
  public static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 1000;

  private int socketPort = DEFAULT_SOCKET_PORT;
  private int replaySocketPort = DEFAULT_REPLAY_SOCKET_PORT;
  private String topicFilter = DEFAULT_TOPIC_FILTER;
  private int blockSizeTokens = DEFAULT_BLOCK_SIZE_TOKENS;
  private long hashSeed = DEFAULT_HASH_SEED;
  private int indexBudgetEntries = DEFAULT_INDEX_BUDGET_ENTRIES;
  private int endpointsPerPoller = DEFAULT_ENDPOINTS_PER_POLLER;
  private long replayCooldownMs = DEFAULT_REPLAY_COOLDOWN_MS;
  private long replayTimeoutMs = DEFAULT_REPLAY_TIMEOUT_MS;
  private int maxConcurrentReplays = DEFAULT_MAX_CONCURRENT_REPLAYS;
  private long discoveryIntervalMs = DEFAULT_DISCOVERY_INTERVAL_MS;
  private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private int receiveHwm = DEFAULT_RECEIVE_HWM;
  private int maxHeldBatches = DEFAULT_MAX_HELD_BATCHES;
  private int handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;

  public KvEventsOptions() {}

  public KvEventsOptions(KvEventsOptions other) {
    this(other.toJson());
  }

  public KvEventsOptions(JsonObject json) {
    setSocketPort(json.getInteger("socketPort", socketPort));
    setReplaySocketPort(json.getInteger("replaySocketPort", replaySocketPort));
    setTopicFilter(json.getString("topicFilter", topicFilter));
    setBlockSizeTokens(json.getInteger("blockSizeTokens", blockSizeTokens));
    setHashSeed(json.getLong("hashSeed", hashSeed));
    setIndexBudgetEntries(json.getInteger("indexBudgetEntries", indexBudgetEntries));
    setEndpointsPerPoller(json.getInteger("endpointsPerPoller", endpointsPerPoller));
    setReplayCooldownMs(json.getLong("replayCooldownMs", replayCooldownMs));
    setReplayTimeoutMs(json.getLong("replayTimeoutMs", replayTimeoutMs));
    setMaxConcurrentReplays(json.getInteger("maxConcurrentReplays", maxConcurrentReplays));
    setDiscoveryIntervalMs(json.getLong("discoveryIntervalMs", discoveryIntervalMs));
    setMaxMessageBytes(json.getLong("maxMessageBytes", maxMessageBytes));
    setReceiveHwm(json.getInteger("receiveHwm", receiveHwm));
    setMaxHeldBatches(json.getInteger("maxHeldBatches", maxHeldBatches));
    setHandshakeTimeoutMs(json.getInteger("handshakeTimeoutMs", handshakeTimeoutMs));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("socketPort", socketPort)
        .put("replaySocketPort", replaySocketPort)
        .put("topicFilter", topicFilter)
        .put("blockSizeTokens", blockSizeTokens)
        .put("hashSeed", hashSeed)
        .put("indexBudgetEntries", indexBudgetEntries)
        .put("endpointsPerPoller", endpointsPerPoller)
        .put("replayCooldownMs", replayCooldownMs)
        .put("replayTimeoutMs", replayTimeoutMs)
        .put("maxConcurrentReplays", maxConcurrentReplays)
        .put("discoveryIntervalMs", discoveryIntervalMs)
        .put("maxMessageBytes", maxMessageBytes)
        .put("receiveHwm", receiveHwm)
        .put("maxHeldBatches", maxHeldBatches)
        .put("handshakeTimeoutMs", handshakeTimeoutMs);
  }

  /** The index's key function for these options. */
  public BlockKeys blockKeys() {
    return new BlockKeys(blockSizeTokens, hashSeed);
  }

  public int getSocketPort() {
    return socketPort;
  }

  /** The engine's PUB port on each endpoint's pod address. */
  public KvEventsOptions setSocketPort(int socketPort) {
    this.socketPort = port(socketPort, "socketPort", false);
    return this;
  }

  public int getReplaySocketPort() {
    return replaySocketPort;
  }

  /** The engine's replay port on each endpoint's pod address; 0: no replay (gaps are accepted). */
  public KvEventsOptions setReplaySocketPort(int replaySocketPort) {
    this.replaySocketPort = port(replaySocketPort, "replaySocketPort", true);
    return this;
  }

  public String getTopicFilter() {
    return topicFilter;
  }

  /**
   * ZMQ subscription prefix; topics are {@code kv@<pod>@<model>} and the model is read from them.
   */
  public KvEventsOptions setTopicFilter(String topicFilter) {
    this.topicFilter = java.util.Objects.requireNonNull(topicFilter, "topicFilter");
    return this;
  }

  public int getBlockSizeTokens() {
    return blockSizeTokens;
  }

  /** Tokens per indexed block; the engine's block size must be a multiple of it. */
  public KvEventsOptions setBlockSizeTokens(int blockSizeTokens) {
    this.blockSizeTokens = positive(blockSizeTokens, "blockSizeTokens");
    return this;
  }

  public long getHashSeed() {
    return hashSeed;
  }

  public KvEventsOptions setHashSeed(long hashSeed) {
    this.hashSeed = hashSeed;
    return this;
  }

  public int getIndexBudgetEntries() {
    return indexBudgetEntries;
  }

  /** Indexed blocks kept over all endpoints; beyond, the least recently stored go. */
  public KvEventsOptions setIndexBudgetEntries(int indexBudgetEntries) {
    this.indexBudgetEntries = positive(indexBudgetEntries, "indexBudgetEntries");
    return this;
  }

  public int getEndpointsPerPoller() {
    return endpointsPerPoller;
  }

  public KvEventsOptions setEndpointsPerPoller(int endpointsPerPoller) {
    this.endpointsPerPoller = positive(endpointsPerPoller, "endpointsPerPoller");
    return this;
  }

  public long getReplayCooldownMs() {
    return replayCooldownMs;
  }

  public KvEventsOptions setReplayCooldownMs(long replayCooldownMs) {
    this.replayCooldownMs = nonNegative(replayCooldownMs, "replayCooldownMs");
    return this;
  }

  public long getReplayTimeoutMs() {
    return replayTimeoutMs;
  }

  public KvEventsOptions setReplayTimeoutMs(long replayTimeoutMs) {
    this.replayTimeoutMs = positive(replayTimeoutMs, "replayTimeoutMs");
    return this;
  }

  public int getMaxConcurrentReplays() {
    return maxConcurrentReplays;
  }

  public KvEventsOptions setMaxConcurrentReplays(int maxConcurrentReplays) {
    this.maxConcurrentReplays = positive(maxConcurrentReplays, "maxConcurrentReplays");
    return this;
  }

  public long getDiscoveryIntervalMs() {
    return discoveryIntervalMs;
  }

  public KvEventsOptions setDiscoveryIntervalMs(long discoveryIntervalMs) {
    this.discoveryIntervalMs = positive(discoveryIntervalMs, "discoveryIntervalMs");
    return this;
  }

  public long getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public KvEventsOptions setMaxMessageBytes(long maxMessageBytes) {
    this.maxMessageBytes = positive(maxMessageBytes, "maxMessageBytes");
    return this;
  }

  public int getReceiveHwm() {
    return receiveHwm;
  }

  public KvEventsOptions setReceiveHwm(int receiveHwm) {
    this.receiveHwm = positive(receiveHwm, "receiveHwm");
    return this;
  }

  public int getMaxHeldBatches() {
    return maxHeldBatches;
  }

  public KvEventsOptions setMaxHeldBatches(int maxHeldBatches) {
    this.maxHeldBatches = positive(maxHeldBatches, "maxHeldBatches");
    return this;
  }

  public int getHandshakeTimeoutMs() {
    return handshakeTimeoutMs;
  }

  public KvEventsOptions setHandshakeTimeoutMs(int handshakeTimeoutMs) {
    this.handshakeTimeoutMs = positive(handshakeTimeoutMs, "handshakeTimeoutMs");
    return this;
  }

  private static int port(int port, String name, boolean zeroAllowed) {
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
      throw new IllegalArgumentException(
          name + " must be a port" + (zeroAllowed ? " or 0" : "") + ": " + port);
    }
    return port;
  }

  private static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  private static long positive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  private static long nonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0: " + value);
    }
    return value;
  }
}
