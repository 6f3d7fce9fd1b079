package io.igw.simulator.metrics;

import io.igw.simulator.engine.EngineSnapshot;
import java.util.Map;

/** trtllm-serve's metric names (trtllm_…), for pickers that read a TensorRT-LLM pool. */
public final class TrtllmMetricsFormat implements MetricsFormat {

  @Override
  public String render(String modelName, EngineSnapshot s, double nowEpochSeconds) {
    Map<String, String> model = Map.of("model_name", modelName);
    return new PrometheusText()
        .gauge("trtllm_num_requests_running", "Number of requests running.", model, s.running())
        .gauge("trtllm_num_requests_waiting", "Number of requests waiting.", model, s.waiting())
        .gauge(
            "trtllm_kv_cache_utilization", "KV-cache utilization, 0..1.", model, s.kvCacheUsage())
        .gauge(
            "trtllm_kv_cache_tokens_per_block", "Tokens per KV-cache block.", model, s.blockSize())
        .gauge(
            "trtllm_kv_cache_max_blocks", "KV-cache capacity in blocks.", model, s.numGpuBlocks())
        .counter(
            "trtllm_prompt_tokens", "Number of prefill tokens processed.", model, s.promptTokens())
        .counter(
            "trtllm_generation_tokens",
            "Number of generation tokens processed.",
            model,
            s.generationTokens())
        .counter(
            "trtllm_request_success", "Number of finished requests.", model, s.requestsFinished())
        .histogram(
            "trtllm_time_to_first_token_seconds",
            "Histogram of time to first token in seconds.",
            model,
            s.latencies().timeToFirstToken())
        .histogram(
            "trtllm_time_per_output_token_seconds",
            "Histogram of time per output token in seconds.",
            model,
            s.latencies().interTokenLatency())
        .histogram(
            "trtllm_e2e_request_latency_seconds",
            "Histogram of end-to-end request latency in seconds.",
            model,
            s.latencies().e2eRequestLatency())
        .histogram(
            "trtllm_request_queue_time_seconds",
            "Histogram of queueing time in seconds.",
            model,
            s.latencies().requestQueueTime())
        .toString();
  }
}
