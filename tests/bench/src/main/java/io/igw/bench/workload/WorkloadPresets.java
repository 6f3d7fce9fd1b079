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
