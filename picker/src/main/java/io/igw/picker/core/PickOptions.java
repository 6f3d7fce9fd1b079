package io.igw.picker.core;

import io.igw.picker.options.OptionsJson;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.igw.picker.tenancy.TenantKey;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Objects;

/**
 * How the core picks: the EndpointPickerConfig (a file, else a built-in preset), how many endpoints
 * an answer lists, when an endpoint counts as stale, token accounting (usage requested from streams
 * that did not ask for it, the tenant header, the tenant label cap), and the clock and random
 * source every pick reads. The clock and the random source are not part of the JSON form.
 */
public class PickOptions {
  public static final String DEFAULT_SCHEDULER_PRESET = "default";
  public static final int DEFAULT_MAX_ENDPOINTS_PER_PICK = 3;
  public static final long DEFAULT_STALE_AFTER_MS = 2000;
  public static final boolean DEFAULT_TOKEN_ACCOUNTING = true;
  public static final String DEFAULT_TENANT_HEADER = TenantKey.DEFAULT_HEADER;
  public static final int DEFAULT_MAX_TENANT_LABELS = 100;

  private String schedulerConfigFile;
  private String schedulerPreset = DEFAULT_SCHEDULER_PRESET;
  private int maxEndpointsPerPick = DEFAULT_MAX_ENDPOINTS_PER_PICK;
  private long staleAfterMs = DEFAULT_STALE_AFTER_MS;
  private boolean tokenAccounting = DEFAULT_TOKEN_ACCOUNTING;
  private String tenantHeader = DEFAULT_TENANT_HEADER;
  private int maxTenantLabels = DEFAULT_MAX_TENANT_LABELS;
  private Clock clock = Clock.systemUTC();
  private RandomSource random = RandomSource.THREAD_LOCAL;
  private SchedulerConfig schedulerConfig;

  public PickOptions() {}

  public PickOptions(PickOptions other) {
    schedulerConfigFile = other.schedulerConfigFile;
    schedulerPreset = other.schedulerPreset;
    maxEndpointsPerPick = other.maxEndpointsPerPick;
    staleAfterMs = other.staleAfterMs;
    tokenAccounting = other.tokenAccounting;
    tenantHeader = other.tenantHeader;
    maxTenantLabels = other.maxTenantLabels;
    clock = other.clock;
    random = other.random;
    schedulerConfig = other.schedulerConfig;
  }

  public PickOptions(JsonObject json) {
    setSchedulerConfigFile(OptionsJson.string(json, "schedulerConfigFile", schedulerConfigFile));
    setSchedulerPreset(OptionsJson.string(json, "schedulerPreset", schedulerPreset));
    setMaxEndpointsPerPick(OptionsJson.integer(json, "maxEndpointsPerPick", maxEndpointsPerPick));
    setStaleAfterMs(OptionsJson.longInteger(json, "staleAfterMs", staleAfterMs));
    setTokenAccounting(OptionsJson.bool(json, "tokenAccounting", tokenAccounting));
    setTenantHeader(OptionsJson.string(json, "tenantHeader", tenantHeader));
    setMaxTenantLabels(OptionsJson.integer(json, "maxTenantLabels", maxTenantLabels));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (schedulerConfigFile != null) {
      json.put("schedulerConfigFile", schedulerConfigFile);
    }
    return json.put("schedulerPreset", schedulerPreset)
        .put("maxEndpointsPerPick", maxEndpointsPerPick)
        .put("staleAfterMs", staleAfterMs)
        .put("tokenAccounting", tokenAccounting)
        .put("tenantHeader", tenantHeader)
        .put("maxTenantLabels", maxTenantLabels);
  }

  /**
   * An EndpointPickerConfig YAML file; when unset, the {@link #setSchedulerPreset preset} is used.
   */
  public String getSchedulerConfigFile() {
    return schedulerConfigFile;
  }

  public PickOptions setSchedulerConfigFile(String schedulerConfigFile) {
    this.schedulerConfigFile = schedulerConfigFile;
    return this;
  }

  /**
   * A built-in EndpointPickerConfig: {@code default} (igw's), {@code reference} (the upstream
   * default) or {@code reference-lora} (the upstream default with LoRA affinity).
   */
  public String getSchedulerPreset() {
    return schedulerPreset;
  }

  public PickOptions setSchedulerPreset(String schedulerPreset) {
    this.schedulerPreset = Objects.requireNonNull(schedulerPreset, "schedulerPreset must be set");
    return this;
  }

  /** Length of the ordered endpoint list (pick plus fallbacks); at least 1. */
  public int getMaxEndpointsPerPick() {
    return maxEndpointsPerPick;
  }

  public PickOptions setMaxEndpointsPerPick(int maxEndpointsPerPick) {
    if (maxEndpointsPerPick < 1) {
      throw new IllegalArgumentException(
          "maxEndpointsPerPick must be at least 1, got " + maxEndpointsPerPick);
    }
    this.maxEndpointsPerPick = maxEndpointsPerPick;
    return this;
  }

  /**
   * An endpoint whose scrapes have failed this long is no longer picked (unless every endpoint's
   * have).
   */
  public long getStaleAfterMs() {
    return staleAfterMs;
  }

  public PickOptions setStaleAfterMs(long staleAfterMs) {
    if (staleAfterMs < 0) {
      throw new IllegalArgumentException("staleAfterMs must be at least 0, got " + staleAfterMs);
    }
    this.staleAfterMs = staleAfterMs;
    return this;
  }

  /**
   * Whether a streamed completion or chat request without {@code stream_options.include_usage} gets
   * it added upstream (when NGINX can drop that usage chunk again: docs/pick-api.md), so every
   * stream reports its usage to the token counters.
   */
  public boolean isTokenAccounting() {
    return tokenAccounting;
  }

  public PickOptions setTokenAccounting(boolean tokenAccounting) {
    this.tokenAccounting = tokenAccounting;
    return this;
  }

  /** The request header naming the tenant ({@link TenantKey}). */
  public String getTenantHeader() {
    return tenantHeader;
  }

  public PickOptions setTenantHeader(String tenantHeader) {
    if (tenantHeader == null || !tenantHeader.matches("[A-Za-z0-9-]{1,64}")) {
      throw new IllegalArgumentException(
          "tenantHeader must be 1 to 64 letters, digits and '-', got " + tenantHeader);
    }
    this.tenantHeader = tenantHeader;
    return this;
  }

  /**
   * Distinct tenants that get a label of their own in the token counters; later ones count as
   * {@code other}.
   */
  public int getMaxTenantLabels() {
    return maxTenantLabels;
  }

  public PickOptions setMaxTenantLabels(int maxTenantLabels) {
    if (maxTenantLabels < 0 || maxTenantLabels > 10_000) {
      throw new IllegalArgumentException(
          "maxTenantLabels must be between 0 and 10000, got " + maxTenantLabels);
    }
    this.maxTenantLabels = maxTenantLabels;
    return this;
  }

  /** The clock all scheduling, staleness and scrapes read. */
  public Clock getClock() {
    return clock;
  }

  public PickOptions setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must be set");
    return this;
  }

  /** Where picks draw random numbers; {@link RandomSource#THREAD_LOCAL} in the live picker. */
  public RandomSource getRandom() {
    return random;
  }

  public PickOptions setRandom(RandomSource random) {
    this.random = Objects.requireNonNull(random, "random must be set");
    return this;
  }

  /**
   * A scheduler config already built (tests, embedders); over the file and the preset. Not part of
   * the JSON form.
   */
  public SchedulerConfig getSchedulerConfig() {
    return schedulerConfig;
  }

  public PickOptions setSchedulerConfig(SchedulerConfig schedulerConfig) {
    this.schedulerConfig = schedulerConfig;
    return this;
  }
}
