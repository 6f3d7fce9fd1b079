package io.igw.simulator.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The base model and the LoRA adapters a server answers for. */
public record ServedModels(String baseModel, List<String> adapters, long createdEpochSeconds) {

  public ServedModels {
    adapters = List.copyOf(adapters);
  }

  public boolean serves(String model) {
    return baseModel.equals(model) || adapters.contains(model);
  }

  /** The adapter a request names, or null when it names the base model. */
  public String adapterOf(String model) {
    return baseModel.equals(model) ? null : model;
  }

  /**
   * GET /v1/models as vLLM answers it: the base model, then each adapter with the base as parent.
   */
  public JsonObject toModelList() {
    JsonArray data = new JsonArray().add(modelCard(baseModel, baseModel, null));
    adapters.forEach(adapter -> data.add(modelCard(adapter, adapter, baseModel)));
    return new JsonObject().put("object", "list").put("data", data);
  }

  private JsonObject modelCard(String id, String root, String parent) {
    return new JsonObject()
        .put("id", id)
        .put("object", "model")
        .put("created", createdEpochSeconds)
        .put("owned_by", "vllm")
        .put("root", root)
        .put("parent", parent)
        .put("max_model_len", 131072)
        .put("permission", new JsonArray());
  }
}
