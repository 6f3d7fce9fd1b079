package io.igw.simulator.metrics;

import io.igw.simulator.engine.EngineSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/** vLLM's metric names and labels (v1 engine), which the reference endpoint pickers read. */
public final class VllmMetricsFormat implements MetricsFormat {

  @Override
  public String render(String modelName, EngineSnapshot s, double nowEpochSeconds) {
    Map<String, String> model = Map.of("model_name", modelName);
    PrometheusText text =
        new PrometheusText()
            .gauge(
                "vllm:num_requests_running",
                "Number of requests in model execution batches.",
                model,
                s.running())
            .gauge(
                "vllm:num_requests_waiting",
                "Number of requests waiting to be processed.",
                model,
                s.waiting())
            .gauge(
                "vllm:kv_cache_usage_perc",
                "KV-cache usage. 1 means 100 percent usage.",
                model,
                s.kvCacheUsage())
            .gauge(
                "vllm:gpu_cache_usage_perc",
                "GPU KV-cache usage (deprecated name).",
                model,
                s.kvCacheUsage())
            .gauge(
                "vllm:lora_requests_info",
                "Running stats on lora requests.",
                loraLabels(modelName, s),
                nowEpochSeconds)
            .gauge(
                "vllm:cache_config_info",
                "Information of the LLMEngine CacheConfig.",
                cacheLabels(modelName, s),
                1)
            .counter(
                "vllm:prefix_cache_queries",
                "Prefix cache queries, in terms of number of queried tokens.",
                model,
                s.prefixCacheQueries())
            .counter(
                "vllm:prefix_cache_hits",
                "Prefix cache hits, in terms of number of cached tokens.",
                model,
                s.prefixCacheHits())
            .counter(
                "vllm:num_preemptions",
                "Cumulative number of preemption from the engine.",
                model,
                s.preemptions())
            .counter(
                "vllm:prompt_tokens",
                "Number of prefill tokens processed.",
                model,
                s.promptTokens())
            .counter(
                "vllm:generation_tokens",
                "Number of generation tokens processed.",
                model,
                s.generationTokens())
            .counter(
                "vllm:request_success",
                "Count of successfully processed requests.",
                model,
                s.requestsFinished())
            .histogram(
                "vllm:time_to_first_token_seconds",
                "Histogram of time to first token in seconds.",
                model,
                s.latencies().timeToFirstToken())
            .histogram(
                "vllm:inter_token_latency_seconds",
                "Histogram of inter-token latency in seconds.",
                model,
                s.latencies().interTokenLatency())
            .histogram(
                "vllm:e2e_request_latency_seconds",
                "Histogram of e2e request latency in seconds.",
                model,
                s.latencies().e2eRequestLatency())
            .histogram(
                "vllm:request_queue_time_seconds",
                "Histogram of time spent in WAITING phase for request.",
                model,
                s.latencies().requestQueueTime());
    return text.toString();
  }

  private static Map<String, String> loraLabels(String modelName, EngineSnapshot s) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("max_lora", Integer.toString(s.maxLoras()));
    labels.put("model_name", modelName);
    labels.put("running_lora_adapters", String.join(",", s.runningAdapters()));
    labels.put("waiting_lora_adapters", String.join(",", s.waitingAdapters()));
    return labels;
  }

  private static Map<String, String> cacheLabels(String modelName, EngineSnapshot s) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("block_size", Integer.toString(s.blockSize()));
    labels.put("cache_dtype", "auto");
    labels.put("enable_prefix_caching", "True");
    labels.put("gpu_memory_utilization", "0.9");
    labels.put("model_name", modelName);
    labels.put("num_cpu_blocks", "0");
    labels.put("num_gpu_blocks", Integer.toString(s.numGpuBlocks()));
    return labels;
  }
}
