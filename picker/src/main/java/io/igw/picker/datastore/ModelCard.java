package io.igw.picker.datastore;

import io.vertx.core.json.JsonObject;

/**
 * One entry of an OpenAI model list as vLLM writes it ({@code GET /v1/models}): {@code parent} is
 * the base model of a LoRA adapter (null for a base model), {@code root} where the weights came
 * from, {@code maxModelLen} the context length (null when the server gives none, as vLLM for
 * adapters). Immutable.
 */
public record ModelCard(
    String id, long created, String ownedBy, String root, String parent, Long maxModelLen) {
  /** What {@code owned_by} says when the server wrote none. */
  public static final String UNKNOWN_OWNER = "unknown";

  public ModelCard {
    if (id == null) {
      throw new IllegalArgumentException("a model card needs an id");
    }
    ownedBy = ownedBy == null ? UNKNOWN_OWNER : ownedBy;
  }

  /**
   * The card of one {@code data} item, or null when it has no string {@code id}; fields of the
   * wrong type count as absent.
   */
  public static ModelCard fromJson(JsonObject item) {
    if (!(item.getValue("id") instanceof String id)) {
      return null;
    }
    long created =
        item.getValue("created") instanceof Number n && n.longValue() >= 0 ? n.longValue() : 0;
    Long maxModelLen =
        item.getValue("max_model_len") instanceof Number n && n.longValue() > 0
            ? n.longValue()
            : null;
    return new ModelCard(
        id,
        created,
        string(item, "owned_by"),
        string(item, "root"),
        string(item, "parent"),
        maxModelLen);
  }

  private static String string(JsonObject item, String key) {
    return item.getValue(key) instanceof String s ? s : null;
  }

  /** An adapter: listed with a parent other than itself. */
  public boolean isAdapter() {
    return parent != null && !parent.equals(id);
  }

  /** The OpenAI model object, as vLLM writes it (null {@code parent} and length kept). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("object", "model")
        .put("created", created)
        .put("owned_by", ownedBy)
        .put("root", root)
        .put("parent", parent)
        .put("max_model_len", maxModelLen);
  }
}
