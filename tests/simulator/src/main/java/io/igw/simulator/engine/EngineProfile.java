package io.igw.simulator.engine;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Cost model of one engine step on a given model and GPU. A step decodes one token for every running
 * sequence and prefills a chunk of waiting prompts; it lasts
 * {@code stepOverhead + perSequence × decoding + perContextKiloToken × tokens in context / 1000
 * + (prefillOverhead + perPrefillToken × prefilled) if prefilling + loraLoad × adapters loaded}; the context term
 * is attention reading the KV cache, which makes decoding slower as the batch's contexts grow.
 * At low batch the inter-token latency is about {@code stepOverhead}, and a lone prompt of N tokens gets its
 * first token after about {@code stepOverhead + prefillOverhead + perPrefillToken × N}.
 *
 * @param numGpuBlocks KV-cache capacity in blocks of 16 tokens when the options do not set it
 * @param loraLoadMillis time to bring an adapter into GPU memory
 */
public record EngineProfile(String name, double stepOverheadMillis, double perSequenceMillis,
                            double perContextKiloTokenMillis, double prefillOverheadMillis, double perPrefillTokenMillis, int numGpuBlocks,
                            double loraLoadMillis) {

  /** An 8B model on one H100: ITL ≈ 12 ms at low batch, prefill ≈ 30 ms + 0.25 ms per token. */
  public static final EngineProfile LLAMA_8B_H100 =
      new EngineProfile("llama-8b-h100", 12.0, 0.06, 0.045, 18.0, 0.25, 25_000, 25.0);
  /** A 32B model on two H100 (tensor parallel 2), calibrated to llm-d's published b2b-saas peak per pod. */
  public static final EngineProfile QWEN3_32B_H100_TP2 =
      new EngineProfile("qwen3-32b-h100-tp2", 15.0, 0.05, 0.04, 20.0, 0.12, 17_000, 40.0);
  /** A 70B model on four H100 (tensor parallel 4). */
  public static final EngineProfile LLAMA_70B_H100_TP4 =
      new EngineProfile("llama-70b-h100-tp4", 25.0, 0.12, 0.03, 35.0, 0.50, 25_000, 60.0);

  private static final Map<String, EngineProfile> BY_NAME =
      List.of(LLAMA_8B_H100, QWEN3_32B_H100_TP2, LLAMA_70B_H100_TP4).stream()
          .collect(Collectors.toMap(EngineProfile::name, Function.identity()));

  public static EngineProfile named(String name) {
    EngineProfile profile = BY_NAME.get(name);
    if (profile == null) {
      throw new IllegalArgumentException("unknown profile '" + name + "', known: " + BY_NAME.keySet());
    }
    return profile;
  }

  public static List<String> names() {
    return BY_NAME.keySet().stream().sorted().toList();
  }

  /** Milliseconds until the first token of a lone prompt of {@code tokens} uncached tokens. */
  public double lonePrefillMillis(int tokens) {
    return stepOverheadMillis + prefillOverheadMillis + perPrefillTokenMillis * tokens;
  }

  /** Milliseconds of one decode step with {@code sequences} running. */
  public double decodeStepMillis(int sequences) {
    return stepOverheadMillis + perSequenceMillis * sequences;
  }
}
