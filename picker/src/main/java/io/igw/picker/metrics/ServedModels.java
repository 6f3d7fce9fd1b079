package io.igw.picker.metrics;

import java.util.Set;

/** The model ids an endpoint's {@code GET /v1/models} listed (base models and LoRA adapters). Immutable. */
public record ServedModels(Set<String> ids, long fetchedAtMillis) {
  public ServedModels {
    ids = Set.copyOf(ids);
  }

  public boolean serves(String model) {
    return ids.contains(model);
  }
}
