package io.igw.bench.workload;

import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in benchmarks (shapes from ../shared/reference/benchmarks.md). The full ladders are the
 * published ones with shorter steps; {@code --quick} keeps fewer, shorter steps so a run takes a
 * minute or two on 2 cores.
 */
public final class WorkloadPresets {
  public static final String BASE_MODEL = "qwen3-32b";
  public static final String SMALL_MODEL = "llama3-8b";

  /**
   * The stages of llm-d's b2b-saas run behind "KV-cache wins you can see" (the inference-perf
   * profile in llm-d-kv-cache-manager's benchmarking/73-capacity report): step 0 is the warm-up, 15
   * QPS for 50 s (one full set of 750 requests); the published figures are over the other 16.
   */
  public static final LoadLadder LLMD_B2B_LADDER =
      new LoadLadder(
          java.util.List.of(
              new LoadStep(15, 50),
              new LoadStep(3, 20),
              new LoadStep(10, 20),
              new LoadStep(15, 20),
              new LoadStep(20, 38),
              new LoadStep(22, 34),
              new LoadStep(25, 30),
              new LoadStep(30, 25),
              new LoadStep(35, 21),
              new LoadStep(40, 38),
              new LoadStep(43, 36),
              new LoadStep(46, 33),
              new LoadStep(49, 30),
              new LoadStep(52, 29),
              new LoadStep(55, 27),
              new LoadStep(57, 26),
              new LoadStep(60, 25)));

  private WorkloadPresets() {}

  public static Map<String, WorkloadPreset> all() {
    Map<String, WorkloadPreset> out = new LinkedHashMap<>();
    EngineConfig qwen = EngineConfig.of(EngineProfile.QWEN3_32B_H100_TP2);
    EngineConfig llama = EngineConfig.of(EngineProfile.LLAMA_8B_H100);
    out.put(
        "shared-prefix",
        new WorkloadPreset(
            "shared-prefix",
            "b2b-saas: 150 system prompts × 5 questions, 6000 + 1200 → 1000 tokens, Poisson 3→60 QPS, 8 servers",
            SharedPrefixWorkload.b2bSaas(BASE_MODEL),
            LoadLadder.of(60, 3, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60),
            LoadLadder.of(30, 3, 10, 20, 30, 40, 50, 60),
            8,
            qwen,
            BASE_MODEL));
    out.put(
        "shared-prefix-llmd",
        new WorkloadPreset(
            "shared-prefix-llmd",
            "b2b-saas on llm-d's published ladder (kv-cache-manager benchmarking/73-capacity): a 50-s warm-up "
                + "at 15 QPS, then 16 stages of 20-38 s from 3 to 60 QPS; 150 × 5, 6000 + 1200 → 1000, 8 servers",
            SharedPrefixWorkload.b2bSaas(BASE_MODEL),
            LLMD_B2B_LADDER,
            LLMD_B2B_LADDER.scaled(0.5),
            8,
            qwen,
            BASE_MODEL));
    out.put(
        "hot-prefix",
        new WorkloadPreset(
            "hot-prefix",
            "b2b-saas with Zipf(1) tenants: 150 system prompts × 5 questions, the largest tenant 18 % of requests, "
                + "6000 + 1200 → 1000 tokens, Poisson 3→60 QPS, 8 servers",
            SharedPrefixWorkload.skewedB2bSaas(BASE_MODEL),
            LoadLadder.of(60, 3, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60),
            LoadLadder.of(30, 3, 10, 20, 30, 40, 50, 60),
            8,
            qwen,
            BASE_MODEL));
    out.put(
        "long-question",
        new WorkloadPreset(
            "long-question",
            "many system prompts, long questions: 150 system prompts × 5 questions, 1000 + 6200 → 1000 tokens, "
                + "Poisson 3→60 QPS, 8 servers",
            SharedPrefixWorkload.longQuestions(BASE_MODEL),
            LoadLadder.of(60, 3, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60),
            LoadLadder.of(30, 3, 10, 20, 30, 40, 50, 60),
            8,
            qwen,
            BASE_MODEL));
    out.put(
        "multi-turn",
        new WorkloadPreset(
            "multi-turn",
            "6 system prompts of 1000 tokens, 192 users × up to 8 turns, ~30-token questions, ~1000 ± 300 answers, "
                + "1→17 QPS, 8 servers",
            MultiTurnWorkload.chat(SMALL_MODEL),
            LoadLadder.of(60, 1, 3, 5, 7, 9, 11, 13, 15, 17),
            LoadLadder.of(30, 1, 5, 9, 13, 17),
            8,
            llama,
            SMALL_MODEL));
    out.put(
        "multi-turn-long",
        new WorkloadPreset(
            "multi-turn-long",
            "6 system prompts of 1000 tokens, 192 users × up to 5 turns, ~3000 ± 900-token questions, "
                + "~1000 ± 300 answers, 1→10 QPS, 8 servers",
            MultiTurnWorkload.longTurns(SMALL_MODEL),
            LoadLadder.of(60, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            LoadLadder.of(30, 1, 4, 7, 10),
            8,
            llama,
            SMALL_MODEL));
    out.put(
        "chat-mix",
        new WorkloadPreset(
            "chat-mix",
            "independent chats with ShareGPT-like lengths (log-normal, means 161 in / 338 out, vLLM paper), "
                + "40-token common system prompt, 10→120 QPS, 8 servers",
            ChatMixWorkload.shareGptLike(SMALL_MODEL),
            LoadLadder.of(60, 10, 20, 40, 60, 80, 100, 120),
            LoadLadder.of(30, 10, 40, 80, 120),
            8,
            llama,
            SMALL_MODEL));
    out.put(
        "multi-lora",
        new WorkloadPreset(
            "multi-lora",
            "16 LoRA adapters (Zipf popularity), max-loras 2 per server, 500 + 300 → 200 tokens, 8 servers",
            MultiLoraWorkload.manyAdapters(),
            LoadLadder.of(60, 10, 20, 40, 60, 80, 100, 120),
            LoadLadder.of(30, 10, 40, 80, 120),
            8,
            llama.withMaxLoras(2),
            SMALL_MODEL));
    out.put(
        "mixed-priority",
        new WorkloadPreset(
            "mixed-priority",
            "50% critical chat (1000 + 100 → 200) and 50% sheddable summaries (3000 → 400), driven past saturation, "
                + "8 servers",
            MixedPriorityWorkload.chatAndBatch(SMALL_MODEL),
            LoadLadder.of(60, 10, 20, 40, 60, 80, 100),
            LoadLadder.of(30, 10, 40, 70, 100),
            8,
            llama,
            SMALL_MODEL));
    return out;
  }

  public static WorkloadPreset named(String name) {
    WorkloadPreset preset = all().get(name);
    if (preset == null) {
      throw new IllegalArgumentException(
          "unknown workload "
              + name
              + " (known: "
              + String.join(", ", all().keySet())
              + ", or --trace FILE)");
    }
    return preset;
  }
}
