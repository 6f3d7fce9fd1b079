package io.igw.simulator.metrics;

import io.igw.simulator.engine.EngineSnapshot;

/** Renders an engine snapshot under one engine's metric names (vLLM, SGLang, TensorRT-LLM). */
public interface MetricsFormat {

  String render(String modelName, EngineSnapshot snapshot, double nowEpochSeconds);

  static MetricsFormat named(String flavor) {
    return switch (flavor) {
      case "vllm" -> new VllmMetricsFormat();
      case "sglang" -> new SglangMetricsFormat();
      case "trtllm" -> new TrtllmMetricsFormat();
      default ->
          throw new IllegalArgumentException(
              "unknown metrics flavor '" + flavor + "', known: [vllm, sglang, trtllm]");
    };
  }
}
