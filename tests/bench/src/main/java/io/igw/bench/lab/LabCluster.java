package io.igw.bench.lab;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a policy is built over for one run: the servers, the lab's settings (seed, scrape interval,
 * base model), the InferenceObjectives the workload's requests name (name → priority, as the
 * manifests of a live run declare them) and the models they ask for (the base model and any LoRA
 * adapters, which every server serves).
 */
public record LabCluster(
    List<LabServer> servers,
    LabSettings settings,
    Map<String, Integer> objectives,
    Set<String> models) {
  public LabCluster {
    servers = List.copyOf(servers);
    objectives = Map.copyOf(objectives);
    models = Set.copyOf(models);
  }

  /** Whether any request names a LoRA adapter (a model other than the base model). */
  public boolean servesAdapters() {
    return models.stream().anyMatch(m -> !m.equals(settings.baseModel()));
  }
}
