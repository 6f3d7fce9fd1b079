package io.igw.simulator.engine;

import io.igw.simulator.tokens.ChatTemplate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Cost model of one engine step for a model on its GPUs, with the model's prompt path (tokenizer,
 * chat template) and vLLM's batch limit on that GPU. A step decodes one token for every running
 * sequence and prefills a chunk of waiting prompts; it lasts {@code stepOverhead + perSequence ×
 * decoding + perContextKiloToken × tokens in context / 1000 + (prefillOverhead + perPrefillToken ×
 * prefilled) if prefilling + loraLoad × adapters loaded}. The overhead is reading the weights once
 * (decode is memory-bound), the context term is attention reading the KV cache, the prefill term is
 * compute-bound. At low batch the inter-token latency is about {@code stepOverhead}, and a lone
 * prompt of N tokens gets its first token after about {@code stepOverhead + prefillOverhead +
 * perPrefillToken × N}.
 *
 * <p>Where each number comes from is written next to the profile and in the simulator's README
 * (calibration table); {@code CalibrationTest} checks the engine against those figures.
 *
 * @param numGpuBlocks KV-cache capacity in blocks of 16 tokens when the options do not set it
 * @param loraLoadMillis time to bring an adapter into GPU memory
 * @param maxNumSeqs vLLM's {@code --max-num-seqs} default for {@code vllm serve} on this GPU
 * @param encoding the bundled BPE encoding used when no tokenizer.json is given
 * @param chatTemplate how the model lays chat messages out
 */
public record EngineProfile(
    String name,
    double stepOverheadMillis,
    double perSequenceMillis,
    double perContextKiloTokenMillis,
    double prefillOverheadMillis,
    double perPrefillTokenMillis,
    int numGpuBlocks,
    double loraLoadMillis,
    int maxNumSeqs,
    String encoding,
    ChatTemplate chatTemplate) {

  /**
   * vLLM's defaults for {@code vllm serve} on a GPU of 70 GiB or more that is not an A100 (engine
   * arg_utils).
   */
  public static final int H100_MAX_NUM_SEQS = 1024;

  /**
   * Llama 3.1 8B Instruct, BF16, one H100 SXM 80 GB. Step overhead: ITL at batch 1 is 6.48 ms
   * (InferenceBench concurrency sweep, TPOT p50, vLLM 0.21 on H100-80GB-HBM3), the weights' 16 GB
   * over 3.35 TB/s being 4.8 ms; per sequence: vLLM's CI latency benchmark (32 in, 128 out, batch
   * 8) takes 997.5 ms on its H100 runner; context: 128 KiB of KV a token, read at the bandwidth the
   * Qwen3-32B fit below implies; prefill 20k tok/s (2 × 8 GFLOP a token at ~60 % of 989 dense BF16
   * TFLOPS, the middle of the 15-25k commonly reported; no vLLM batch-1 prefill figure for H100 was
   * found); KV: 0.9 × 79 GiB − 15 GiB of weights − ~2 GiB of activations at 128 KiB a token ≈ 441k
   * tokens.
   */
  public static final EngineProfile LLAMA_8B_H100 =
      new EngineProfile(
          "llama-8b-h100",
          6.4,
          0.08,
          0.040,
          2.0,
          0.050,
          27_600,
          25.0,
          H100_MAX_NUM_SEQS,
          "o200k_base",
          ChatTemplate.LLAMA3);

  /**
   * Qwen3-32B, BF16, two H100 (tensor parallel 2). KV: 307,328 tokens a pod (llm-d "KV-cache wins
   * you can see", 2025-09); step overhead: 32.8 GB of weights per GPU at 80 % of 3.35 TB/s plus the
   * all-reduce ≈ 13.5 ms; context (128 KiB of KV a token per GPU) and prefill (~17k tok/s, 65.6
   * GFLOP a token over two GPUs at ~55 % MFU) fitted so that one pod on the b2b-saas shape comes
   * near llm-d's optimized baseline: 14,941 output tok/s over 8 pods, 1,868 a pod. The fit reads KV
   * at about the full 3.35 TB/s, the upper end of what attention kernels reach.
   */
  public static final EngineProfile QWEN3_32B_H100_TP2 =
      new EngineProfile(
          "qwen3-32b-h100-tp2",
          13.5,
          0.08,
          0.040,
          3.0,
          0.060,
          19_208,
          40.0,
          H100_MAX_NUM_SEQS,
          "o200k_base",
          ChatTemplate.CHATML);

  /**
   * Llama 3.1 70B Instruct, BF16, four H100 (tensor parallel 4). Decode: vLLM's CI latency
   * benchmark (32 in, 128 out, batch 8) takes 2,444.5 ms on its H100 runner, about 19 ms a step; 35
   * GB of weights per GPU; context: 80 KiB of KV a token per GPU at the same bandwidth as above;
   * prefill ~10k tok/s (140 GFLOP a token over four GPUs with the all-reduces, the middle of the
   * 8-12k commonly reported); KV: 0.9 × 79 GiB − 33 GiB − ~3 GiB a GPU at 80 KiB a token ≈ 448k
   * tokens.
   */
  public static final EngineProfile LLAMA_70B_H100_TP4 =
      new EngineProfile(
          "llama-70b-h100-tp4",
          17.5,
          0.08,
          0.025,
          4.0,
          0.100,
          28_000,
          60.0,
          H100_MAX_NUM_SEQS,
          "o200k_base",
          ChatTemplate.LLAMA3);

  private static final Map<String, EngineProfile> BY_NAME =
      List.of(LLAMA_8B_H100, QWEN3_32B_H100_TP2, LLAMA_70B_H100_TP4).stream()
          .collect(Collectors.toMap(EngineProfile::name, Function.identity()));

  public static EngineProfile named(String name) {
    EngineProfile profile = BY_NAME.get(name);
    if (profile == null) {
      throw new IllegalArgumentException(
          "unknown profile '" + name + "', known: " + BY_NAME.keySet());
    }
    return profile;
  }

  public static List<String> names() {
    return BY_NAME.keySet().stream().sorted().toList();
  }

  /**
   * Milliseconds until the first token of a lone prompt of {@code tokens} uncached tokens (one
   * chunk).
   */
  public double lonePrefillMillis(int tokens) {
    return stepOverheadMillis
        + prefillOverheadMillis
        + perPrefillTokenMillis * tokens
        + perContextKiloTokenMillis * tokens / 1000.0;
  }

  /** Milliseconds of one decode step with {@code sequences} running and no context. */
  public double decodeStepMillis(int sequences) {
    return stepOverheadMillis + perSequenceMillis * sequences;
  }
}
