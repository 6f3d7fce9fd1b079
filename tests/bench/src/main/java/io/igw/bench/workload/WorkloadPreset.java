package io.igw.bench.workload;

import io.igw.simulator.engine.EngineConfig;

/**
 * A named benchmark: the workload, its ladders (full and {@code --quick}), and the cluster it runs
 * on (servers, engine model, the base model's name; any other model name is a LoRA adapter).
 */
public record WorkloadPreset(
    String name,
    String description,
    Workload workload,
    LoadLadder fullLadder,
    LoadLadder quickLadder,
    int servers,
    EngineConfig engine,
    String baseModel) {

  public LoadLadder ladder(boolean quick) {
    return quick ? quickLadder : fullLadder;
  }

  public WorkloadPreset withServers(int count) {
    return new WorkloadPreset(
        name, description, workload, fullLadder, quickLadder, count, engine, baseModel);
  }
}
