package io.igw.simulator.metrics;

import io.igw.simulator.engine.EngineSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/** SGLang's metric names (sglang:…), for pickers that read an SGLang pool. */
public final class SglangMetricsFormat implements MetricsFormat {

  @Override
  public String render(String modelName, EngineSnapshot s, double nowEpochSeconds) {
    Map<String, String> model = Map.of("model_name", modelName);
    double hitRate =
        s.prefixCacheQueries() == 0 ? 0 : s.prefixCacheHits() / (double) s.prefixCacheQueries();
    return new PrometheusText()
        .gauge("sglang:num_running_reqs", "The number of running requests.", model, s.running())
        .gauge(
            "sglang:num_queue_reqs",
            "The number of requests in the waiting queue.",
            model,
            s.waiting())
        .gauge("sglang:token_usage", "The token usage.", model, s.kvCacheUsage())
        .gauge("sglang:cache_hit_rate", "The prefix cache hit rate.", model, hitRate)
        .gauge("sglang:cache_config_info", "Cache geometry.", cacheLabels(modelName, s), 1)
        .counter(
            "sglang:prompt_tokens", "Number of prefill tokens processed.", model, s.promptTokens())
        .counter(
            "sglang:generation_tokens",
            "Number of generation tokens processed.",
            model,
            s.generationTokens())
        .counter(
            "sglang:num_requests", "Number of requests processed.", model, s.requestsFinished())
        .histogram(
            "sglang:time_to_first_token_seconds",
            "Histogram of time to first token in seconds.",
            model,
            s.latencies().timeToFirstToken())
        .histogram(
            "sglang:inter_token_latency_seconds",
            "Histogram of inter-token latency in seconds.",
            model,
            s.latencies().interTokenLatency())
        .histogram(
            "sglang:e2e_request_latency_seconds",
            "Histogram of end-to-end request latency in seconds.",
            model,
            s.latencies().e2eRequestLatency())
        .histogram(
            "sglang:queue_time_seconds",
            "Histogram of queueing time in seconds.",
            model,
            s.latencies().requestQueueTime())
        .toString();
  }

  private static Map<String, String> cacheLabels(String modelName, EngineSnapshot s) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("model_name", modelName);
    labels.put("num_pages", Integer.toString(s.numGpuBlocks()));
    labels.put("page_size", Integer.toString(s.blockSize()));
    return labels;
  }
}
