package io.igw.picker.datastore;

import java.util.Set;

/**
 * The model ids an endpoint's {@code GET /v1/models} listed; {@code adapters} are those with a
 * {@code parent} (LoRA adapters, as vLLM lists them). Immutable.
 */
public record ServedModels(Set<String> ids, Set<String> adapters, long fetchedAtMillis) {
  public ServedModels {
    ids = Set.copyOf(ids);
    adapters = Set.copyOf(adapters);
  }

  public boolean serves(String model) {
    return ids.contains(model);
  }

  /** True when {@code model} is listed as a base model (not an adapter). */
  public boolean isBaseModel(String model) {
    return ids.contains(model) && !adapters.contains(model);
  }
}
