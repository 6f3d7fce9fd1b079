package io.igw.simulator.options;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of one simulated model server: where it listens, what it serves and how its engine
 * behaves. Engine parameters left at zero or null take their value from the named profile.
 */
public class SimulatorOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";

  /** 0 binds an ephemeral port (the CLI defaults to vLLM's 8000 instead). */
  public static final int DEFAULT_PORT = 0;

  public static final String DEFAULT_MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  public static final String DEFAULT_PROFILE = "llama-8b-h100";

  /** N means N times faster than real time; the engine's relative behaviour does not change. */
  public static final double DEFAULT_TIME_SCALE = 1.0;

  /** 0 takes the profile's (vLLM's default for its GPU: 1024 on an H100). */
  public static final int DEFAULT_MAX_NUM_SEQS = 0;

  public static final int DEFAULT_MAX_NUM_BATCHED_TOKENS = 8192;
  public static final int DEFAULT_MAX_LORAS = 1;
  public static final int DEFAULT_BLOCK_SIZE = 16;

  /** 0 takes the profile's number of KV-cache blocks. */
  public static final int DEFAULT_NUM_GPU_BLOCKS = 0;

  /** Output length when a request gives no max_tokens (vLLM's legacy completions default). */
  public static final int DEFAULT_MAX_TOKENS = 16;

  public static final long DEFAULT_SEED = 0;
  public static final String DEFAULT_METRICS_FLAVOR = "vllm";
  public static final boolean DEFAULT_PREFIX_CACHING = true;

  /**
   * 0: every request generates max_tokens; N: without ignore_eos a request stops after ~N tokens on
   * average.
   */
  public static final int DEFAULT_NATURAL_OUTPUT_TOKENS = 0;

  /**
   * vLLM's --enable-prompt-tokens-details: usage carries prompt_tokens_details.cached_tokens only
   * when set.
   */
  public static final boolean DEFAULT_ENABLE_PROMPT_TOKENS_DETAILS = false;

  /** Event encoding inside a KV event batch: map (vLLM since PR 42892) or array (up to v0.23). */
  public static final String DEFAULT_KV_EVENTS_ENCODING = "map";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String model = DEFAULT_MODEL;
  private List<String> loras = new ArrayList<>();
  private String name;
  private String profile = DEFAULT_PROFILE;
  private double timeScale = DEFAULT_TIME_SCALE;
  private int maxNumSeqs = DEFAULT_MAX_NUM_SEQS;
  private int maxNumBatchedTokens = DEFAULT_MAX_NUM_BATCHED_TOKENS;
  private int maxLoras = DEFAULT_MAX_LORAS;
  private int blockSize = DEFAULT_BLOCK_SIZE;
  private int numGpuBlocks = DEFAULT_NUM_GPU_BLOCKS;
  private int defaultMaxTokens = DEFAULT_MAX_TOKENS;
  private long seed = DEFAULT_SEED;
  private String metricsFlavor = DEFAULT_METRICS_FLAVOR;
  private boolean prefixCaching = DEFAULT_PREFIX_CACHING;
  private int naturalOutputTokens = DEFAULT_NATURAL_OUTPUT_TOKENS;
  private JsonObject faults = new JsonObject();
  private String tokenizer;
  private boolean enablePromptTokensDetails = DEFAULT_ENABLE_PROMPT_TOKENS_DETAILS;
  private JsonObject kvEventsConfig;
  private String kvEventsEncoding = DEFAULT_KV_EVENTS_ENCODING;

  public SimulatorOptions() {}

  public SimulatorOptions(SimulatorOptions other) {
    this(other.toJson());
  }

  public SimulatorOptions(JsonObject json) {
    host = json.getString("host", DEFAULT_HOST);
    port = json.getInteger("port", DEFAULT_PORT);
    model = json.getString("model", DEFAULT_MODEL);
    JsonArray loraArray = json.getJsonArray("loras", new JsonArray());
    loras = new ArrayList<>();
    loraArray.forEach(l -> loras.add(String.valueOf(l)));
    name = json.getString("name");
    profile = json.getString("profile", DEFAULT_PROFILE);
    timeScale = json.getDouble("timeScale", DEFAULT_TIME_SCALE);
    maxNumSeqs = json.getInteger("maxNumSeqs", DEFAULT_MAX_NUM_SEQS);
    maxNumBatchedTokens = json.getInteger("maxNumBatchedTokens", DEFAULT_MAX_NUM_BATCHED_TOKENS);
    maxLoras = json.getInteger("maxLoras", DEFAULT_MAX_LORAS);
    blockSize = json.getInteger("blockSize", DEFAULT_BLOCK_SIZE);
    numGpuBlocks = json.getInteger("numGpuBlocks", DEFAULT_NUM_GPU_BLOCKS);
    defaultMaxTokens = json.getInteger("defaultMaxTokens", DEFAULT_MAX_TOKENS);
    seed = json.getLong("seed", DEFAULT_SEED);
    metricsFlavor = json.getString("metricsFlavor", DEFAULT_METRICS_FLAVOR);
    prefixCaching = json.getBoolean("prefixCaching", DEFAULT_PREFIX_CACHING);
    naturalOutputTokens = json.getInteger("naturalOutputTokens", DEFAULT_NATURAL_OUTPUT_TOKENS);
    faults = json.getJsonObject("faults", new JsonObject()).copy();
    tokenizer = json.getString("tokenizer");
    enablePromptTokensDetails =
        json.getBoolean("enablePromptTokensDetails", DEFAULT_ENABLE_PROMPT_TOKENS_DETAILS);
    JsonObject kvEvents = json.getJsonObject("kvEventsConfig");
    kvEventsConfig = kvEvents == null ? null : kvEvents.copy();
    kvEventsEncoding = json.getString("kvEventsEncoding", DEFAULT_KV_EVENTS_ENCODING);
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("host", host)
            .put("port", port)
            .put("model", model)
            .put("loras", new JsonArray(new ArrayList<>(loras)))
            .put("profile", profile)
            .put("timeScale", timeScale)
            .put("maxNumSeqs", maxNumSeqs)
            .put("maxNumBatchedTokens", maxNumBatchedTokens)
            .put("maxLoras", maxLoras)
            .put("blockSize", blockSize)
            .put("numGpuBlocks", numGpuBlocks)
            .put("defaultMaxTokens", defaultMaxTokens)
            .put("seed", seed)
            .put("metricsFlavor", metricsFlavor)
            .put("prefixCaching", prefixCaching)
            .put("naturalOutputTokens", naturalOutputTokens)
            .put("faults", faults.copy())
            .put("enablePromptTokensDetails", enablePromptTokensDetails)
            .put("kvEventsEncoding", kvEventsEncoding);
    if (kvEventsConfig != null) {
      json.put("kvEventsConfig", kvEventsConfig.copy());
    }
    if (name != null) {
      json.put("name", name);
    }
    if (tokenizer != null) {
      json.put("tokenizer", tokenizer);
    }
    return json;
  }

  public String getHost() {
    return host;
  }

  public SimulatorOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public int getPort() {
    return port;
  }

  public SimulatorOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getModel() {
    return model;
  }

  public SimulatorOptions setModel(String model) {
    this.model = Objects.requireNonNull(model, "model");
    return this;
  }

  public List<String> getLoras() {
    return loras;
  }

  public SimulatorOptions setLoras(List<String> loras) {
    this.loras = new ArrayList<>(loras);
    return this;
  }

  public SimulatorOptions addLora(String lora) {
    loras.add(lora);
    return this;
  }

  /** The server's name in logs and in the x-igw-served-by header; null means host:port. */
  public String getName() {
    return name;
  }

  public SimulatorOptions setName(String name) {
    this.name = name;
    return this;
  }

  public String getProfile() {
    return profile;
  }

  public SimulatorOptions setProfile(String profile) {
    this.profile = Objects.requireNonNull(profile, "profile");
    return this;
  }

  public double getTimeScale() {
    return timeScale;
  }

  public SimulatorOptions setTimeScale(double timeScale) {
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("timeScale must be > 0: " + timeScale);
    }
    this.timeScale = timeScale;
    return this;
  }

  public int getMaxNumSeqs() {
    return maxNumSeqs;
  }

  public SimulatorOptions setMaxNumSeqs(int maxNumSeqs) {
    this.maxNumSeqs = maxNumSeqs;
    return this;
  }

  public int getMaxNumBatchedTokens() {
    return maxNumBatchedTokens;
  }

  public SimulatorOptions setMaxNumBatchedTokens(int maxNumBatchedTokens) {
    this.maxNumBatchedTokens = maxNumBatchedTokens;
    return this;
  }

  public int getMaxLoras() {
    return maxLoras;
  }

  public SimulatorOptions setMaxLoras(int maxLoras) {
    this.maxLoras = maxLoras;
    return this;
  }

  public int getBlockSize() {
    return blockSize;
  }

  public SimulatorOptions setBlockSize(int blockSize) {
    this.blockSize = blockSize;
    return this;
  }

  public int getNumGpuBlocks() {
    return numGpuBlocks;
  }

  public SimulatorOptions setNumGpuBlocks(int numGpuBlocks) {
    this.numGpuBlocks = numGpuBlocks;
    return this;
  }

  public int getDefaultMaxTokens() {
    return defaultMaxTokens;
  }

  public SimulatorOptions setDefaultMaxTokens(int defaultMaxTokens) {
    this.defaultMaxTokens = defaultMaxTokens;
    return this;
  }

  public long getSeed() {
    return seed;
  }

  public SimulatorOptions setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Metric naming: vllm, sglang or trtllm. */
  public String getMetricsFlavor() {
    return metricsFlavor;
  }

  public SimulatorOptions setMetricsFlavor(String metricsFlavor) {
    this.metricsFlavor = Objects.requireNonNull(metricsFlavor, "metricsFlavor");
    return this;
  }

  public boolean isPrefixCaching() {
    return prefixCaching;
  }

  public SimulatorOptions setPrefixCaching(boolean prefixCaching) {
    this.prefixCaching = prefixCaching;
    return this;
  }

  /** Mean natural output length; 0 means every request generates exactly its max_tokens. */
  public int getNaturalOutputTokens() {
    return naturalOutputTokens;
  }

  public SimulatorOptions setNaturalOutputTokens(int naturalOutputTokens) {
    this.naturalOutputTokens = naturalOutputTokens;
    return this;
  }

  /** Fault injection settings, as accepted by POST /admin/config under "faults". */
  public JsonObject getFaults() {
    return faults;
  }

  public SimulatorOptions setFaults(JsonObject faults) {
    this.faults = faults.copy();
    return this;
  }

  /** Path of the model's tokenizer.json; null uses the profile's bundled encoding. */
  public String getTokenizer() {
    return tokenizer;
  }

  public SimulatorOptions setTokenizer(String tokenizer) {
    this.tokenizer = tokenizer;
    return this;
  }

  public boolean isEnablePromptTokensDetails() {
    return enablePromptTokensDetails;
  }

  public SimulatorOptions setEnablePromptTokensDetails(boolean enablePromptTokensDetails) {
    this.enablePromptTokensDetails = enablePromptTokensDetails;
    return this;
  }

  /** vLLM's --kv-events-config (its JSON field names); null publishes no KV events. */
  public JsonObject getKvEventsConfig() {
    return kvEventsConfig;
  }

  public SimulatorOptions setKvEventsConfig(JsonObject kvEventsConfig) {
    this.kvEventsConfig = kvEventsConfig == null ? null : kvEventsConfig.copy();
    return this;
  }

  /** {@code map} or {@code array}: how events are written inside a batch. */
  public String getKvEventsEncoding() {
    return kvEventsEncoding;
  }

  public SimulatorOptions setKvEventsEncoding(String kvEventsEncoding) {
    this.kvEventsEncoding = Objects.requireNonNull(kvEventsEncoding, "kvEventsEncoding");
    return this;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
