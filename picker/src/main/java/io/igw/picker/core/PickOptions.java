package io.igw.picker.core;

import io.igw.picker.options.OptionsJson;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Objects;

/**
 * How the core picks: the EndpointPickerConfig (a file, else a built-in preset), how many endpoints
 * an answer lists, when an endpoint counts as stale, and the clock and random source every pick
 * reads. The clock and the random source are not part of the JSON form.
 */
public class PickOptions {
  public static final String DEFAULT_SCHEDULER_PRESET = "default";
  public static final int DEFAULT_MAX_ENDPOINTS_PER_PICK = 3;
  public static final long DEFAULT_STALE_AFTER_MS = 2000;

  private String schedulerConfigFile;
  private String schedulerPreset = DEFAULT_SCHEDULER_PRESET;
  private int maxEndpointsPerPick = DEFAULT_MAX_ENDPOINTS_PER_PICK;
  private long staleAfterMs = DEFAULT_STALE_AFTER_MS;
  private Clock clock = Clock.systemUTC();
  private RandomSource random = RandomSource.THREAD_LOCAL;
  private SchedulerConfig schedulerConfig;

  public PickOptions() {}

  public PickOptions(PickOptions other) {
    schedulerConfigFile = other.schedulerConfigFile;
    schedulerPreset = other.schedulerPreset;
    maxEndpointsPerPick = other.maxEndpointsPerPick;
    staleAfterMs = other.staleAfterMs;
    clock = other.clock;
    random = other.random;
    schedulerConfig = other.schedulerConfig;
  }

  public PickOptions(JsonObject json) {
    setSchedulerConfigFile(OptionsJson.string(json, "schedulerConfigFile", schedulerConfigFile));
    setSchedulerPreset(OptionsJson.string(json, "schedulerPreset", schedulerPreset));
    setMaxEndpointsPerPick(OptionsJson.integer(json, "maxEndpointsPerPick", maxEndpointsPerPick));
    setStaleAfterMs(OptionsJson.longInteger(json, "staleAfterMs", staleAfterMs));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (schedulerConfigFile != null) {
      json.put("schedulerConfigFile", schedulerConfigFile);
    }
    return json.put("schedulerPreset", schedulerPreset)
        .put("maxEndpointsPerPick", maxEndpointsPerPick)
        .put("staleAfterMs", staleAfterMs);
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
