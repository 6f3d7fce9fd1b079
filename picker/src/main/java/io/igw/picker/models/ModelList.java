package io.igw.picker.models;

import io.igw.picker.datastore.ModelCard;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI model list, {@code {"object":"list","data":[…]}}, one card per id, encoded once.
 * Immutable.
 */
public final class ModelList {
  private final List<ModelCard> cards;
  private final Map<String, ModelCard> byId = new HashMap<>();
  private final Buffer body;

  /** {@code cards}: distinct ids, in the order the list shows them. */
  public ModelList(List<ModelCard> cards) {
    this.cards = List.copyOf(cards);
    JsonArray data = new JsonArray();
    for (ModelCard card : this.cards) {
      if (byId.putIfAbsent(card.id(), card) != null) {
        throw new IllegalArgumentException("model " + card.id() + " is listed twice");
      }
      data.add(card.toJson());
    }
    body = new JsonObject().put("object", "list").put("data", data).toBuffer();
  }

  public List<ModelCard> cards() {
    return cards;
  }

  /** The card of {@code id}, or null when the list has none. */
  public ModelCard find(String id) {
    return byId.get(id);
  }

  /** The list as JSON. */
  public Buffer body() {
    return body;
  }
}
