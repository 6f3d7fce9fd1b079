package io.igw.picker.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names one model-server engine exposes for the fields igw reads (see
 * reference/scheduling.md). Null means the engine has no such metric.
 *
 * @param kvUsage names of the KV-cache use gauge, in order of preference (newest first)
 * @param cacheConfigInfo info gauge whose labels {@code blockSizeLabel} and {@code numBlocksLabel}
 *     give the geometry
 * @param blockSizeGauge gauge holding the block size (engines without an info gauge)
 * @param numBlocksGauge gauge holding the number of blocks (engines without an info gauge)
 */
public record EngineMetricNames(
    String engine,
    String waiting,
    String running,
    List<String> kvUsage,
    String loraInfo,
    String cacheConfigInfo,
    String blockSizeLabel,
    String numBlocksLabel,
    String blockSizeGauge,
    String numBlocksGauge) {

  public static final String LORA_RUNNING_LABEL = "running_lora_adapters";
  public static final String LORA_WAITING_LABEL = "waiting_lora_adapters";
  public static final String LORA_MAX_LABEL = "max_lora";

  public static final EngineMetricNames VLLM =
      new EngineMetricNames(
          "vllm",
          "vllm:num_requests_waiting",
          "vllm:num_requests_running",
          List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"),
          "vllm:lora_requests_info",
          "vllm:cache_config_info",
          "block_size",
          "num_gpu_blocks",
          null,
          null);

  public static final EngineMetricNames SGLANG =
      new EngineMetricNames(
          "sglang",
          "sglang:num_queue_reqs",
          "sglang:num_running_reqs",
          List.of("sglang:token_usage"),
          null,
          "sglang:cache_config_info",
          "page_size",
          "num_pages",
          null,
          null);

  public static final EngineMetricNames TRTLLM =
      new EngineMetricNames(
          "trtllm-serve",
          "trtllm_num_requests_waiting",
          "trtllm_num_requests_running",
          List.of("trtllm_kv_cache_utilization"),
          null,
          null,
          null,
          null,
          "trtllm_kv_cache_tokens_per_block",
          "trtllm_kv_cache_max_blocks");

  public EngineMetricNames {
    kvUsage = List.copyOf(kvUsage);
  }

  /** The names for an engine-type label value; unknown or missing engines read as vLLM. */
  public static EngineMetricNames forEngine(String engine) {
    if (engine == null) {
      return VLLM;
    }
    return switch (engine.toLowerCase(Locale.ROOT)) {
      case "sglang" -> SGLANG;
      case "trtllm", "trtllm-serve", "tensorrt-llm" -> TRTLLM;
      default -> VLLM;
    };
  }

  /** Every metric name this engine's mapping reads. */
  public Set<String> wantedNames() {
    List<String> names = new ArrayList<>(List.of(waiting, running));
    names.addAll(kvUsage);
    for (String optional :
        new String[] {loraInfo, cacheConfigInfo, blockSizeGauge, numBlocksGauge}) {
      if (optional != null) {
        names.add(optional);
      }
    }
    return new LinkedHashSet<>(names);
  }
}
