package io.igw.picker.datastore;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model ids an endpoint's {@code GET /v1/models} listed; {@code adapters} are those with a
 * {@code parent} (LoRA adapters, as vLLM lists them); {@code cards} the entries as listed (what the
 * gateway's own {@code /v1/models} shows; may be empty where only ids are known). Immutable.
 */
public record ServedModels(
    Set<String> ids, Set<String> adapters, List<ModelCard> cards, long fetchedAtMillis) {
  public ServedModels {
    ids = Set.copyOf(ids);
    adapters = Set.copyOf(adapters);
    cards = List.copyOf(cards);
  }

  /** The ids and adapters of {@code cards} (the first card of an id counts). */
  public static ServedModels of(List<ModelCard> cards, long fetchedAtMillis) {
    Set<String> ids = new HashSet<>();
    Set<String> adapters = new HashSet<>();
    List<ModelCard> kept = new java.util.ArrayList<>();
    for (ModelCard card : cards) {
      if (ids.add(card.id())) {
        kept.add(card);
        if (card.isAdapter()) {
          adapters.add(card.id());
        }
      }
    }
    return new ServedModels(ids, adapters, kept, fetchedAtMillis);
  }

  public boolean serves(String model) {
    return ids.contains(model);
  }

  /** True when {@code model} is listed as a base model (not an adapter). */
  public boolean isBaseModel(String model) {
    return ids.contains(model) && !adapters.contains(model);
  }
}
