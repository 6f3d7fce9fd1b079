package io.igw.simulator.http;

import io.igw.simulator.engine.GenerationListener;
import io.igw.simulator.engine.GenerationResult;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;

/**
 * Answers /v1/embeddings once the prompt is prefilled: a unit vector that depends only on the input
 * text.
 */
final class EmbeddingResponder implements GenerationListener {

  static final int DIMENSIONS = 384;

  private final HttpServerResponse response;
  private final String id;
  private final String model;
  private final String input;

  EmbeddingResponder(HttpServerResponse response, String id, String model, String input) {
    this.response = response;
    this.id = id;
    this.model = model;
    this.input = input;
  }

  @Override
  public void onToken(int index) {}

  @Override
  public void onFinished(GenerationResult result) {
    if (response.closed()) {
      return;
    }
    JsonObject body =
        new JsonObject()
            .put("id", id)
            .put("object", "list")
            .put("created", System.currentTimeMillis() / 1000)
            .put("model", model)
            .put(
                "data",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("index", 0)
                            .put("object", "embedding")
                            .put("embedding", vector(input))))
            .put(
                "usage",
                new JsonObject()
                    .put("prompt_tokens", result.promptTokens())
                    .put("total_tokens", result.promptTokens())
                    .put("completion_tokens", 0)
                    .putNull("prompt_tokens_details"));
    response.putHeader("content-type", "application/json").end(body.encode());
  }

  static JsonArray vector(String text) {
    SplittableRandom random = new SplittableRandom(text.hashCode() * 0x9E3779B97F4A7C15L);
    double[] values = new double[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      values[i] = random.nextDouble() * 2 - 1;
      norm += values[i] * values[i];
    }
    JsonArray vector = new JsonArray();
    for (double value : values) {
      vector.add((float) (value / Math.sqrt(norm)));
    }
    return vector;
  }
}
