package io.igw.bench.live;

import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.MixedPriorityWorkload;
import io.igw.bench.workload.SharedPrefixWorkload;
import io.igw.bench.workload.WorkloadPreset;
import io.igw.bench.workload.WorkloadPresets;
import io.igw.simulator.engine.EngineConfig;
import io.igw.simulator.engine.EngineProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live benchmark's workloads, sized for a laptop-class machine (2 cores run NGINX, njs, the
 * picker, the servers and the client): 4 servers instead of 8, 100 output tokens instead of 1000
 * (every token is an SSE event through NGINX), the simulators 2× faster than real time. Rates are
 * in simulated requests per second.
 */
public final class LivePresets {
  public static final int SERVERS = 4;
  public static final double TIME_SCALE = 2.0;

  private LivePresets() {}

  public static Map<String, WorkloadPreset> all() {
    Map<String, WorkloadPreset> out = new LinkedHashMap<>();
    EngineConfig qwen = EngineConfig.of(EngineProfile.QWEN3_32B_H100_TP2);
    out.put(
        "shared-prefix",
        new WorkloadPreset(
            "shared-prefix",
            "b2b-saas shape at live scale: 75 system prompts × 5 questions, 6000 + 1200 → 100 tokens, 4 servers",
            new SharedPrefixWorkload(
                "shared-prefix", WorkloadPresets.BASE_MODEL, 75, 5, 6000, 1200, 100),
            LoadLadder.of(20, 2, 6, 10, 14),
            LoadLadder.of(15, 4, 12),
            SERVERS,
            qwen,
            WorkloadPresets.BASE_MODEL));
    out.put(
        "hot-prefix",
        new WorkloadPreset(
            "hot-prefix",
            "b2b-saas shape with Zipf(1) tenants at live scale: 75 system prompts × 5 questions, the largest tenant 20 % "
                + "of requests, 6000 + 1200 → 100 tokens, 4 servers",
            new SharedPrefixWorkload(
                "hot-prefix", WorkloadPresets.BASE_MODEL, 75, 5, 6000, 1200, 100, 1.0),
            LoadLadder.of(20, 2, 6, 10, 14),
            LoadLadder.of(15, 4, 12),
            SERVERS,
            qwen,
            WorkloadPresets.BASE_MODEL));
    out.put(
        "mixed-priority",
        new WorkloadPreset(
            "mixed-priority",
            "critical chat (1000 + 100 → 200) and sheddable summaries (3000 → 400) at live scale, 4 servers",
            MixedPriorityWorkload.chatAndBatch(WorkloadPresets.BASE_MODEL),
            LoadLadder.of(20, 5, 20, 35, 50),
            LoadLadder.of(15, 10, 40),
            SERVERS,
            qwen,
            WorkloadPresets.BASE_MODEL));
    return out;
  }

  public static WorkloadPreset named(String name) {
    WorkloadPreset preset = all().get(name);
    if (preset == null) {
      throw new IllegalArgumentException(
          "unknown live workload " + name + " (known: " + String.join(", ", all().keySet()) + ")");
    }
    return preset;
  }
}
