package io.igw.bench.overhead;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a streamed completion (vLLM's SSE: {@code data: <json>\n\n} per event, then {@code data:
 * [DONE]}) held, as the client received it.
 *
 * @param contentChunks chunks with a choice whose {@code text} (or chat {@code delta.content}) is
 *     not empty
 * @param usageChunks chunks with no choices and a {@code usage} object
 * @param done whether the last event is {@code [DONE]}
 * @param malformed events that are not {@code data:} lines of a JSON object or {@code [DONE]}
 */
record SseAnswer(int contentChunks, int usageChunks, boolean done, int malformed) {
  static SseAnswer parse(String body) {
    int content = 0;
    int usage = 0;
    int malformed = 0;
    boolean done = false;
    for (String event : body.split("\n\n")) {
      if (event.isEmpty()) {
        continue;
      }
      done = false;
      if (!event.startsWith("data: ")) {
        malformed++;
        continue;
      }
      String data = event.substring("data: ".length());
      if (data.equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonObject chunk;
      try {
        chunk = new JsonObject(data);
      } catch (DecodeException | ClassCastException e) {
        malformed++;
        continue;
      }
      JsonArray choices = chunk.getValue("choices") instanceof JsonArray a ? a : new JsonArray();
      if (choices.isEmpty() && chunk.getValue("usage") instanceof JsonObject) {
        usage++;
      } else if (!choices.isEmpty() && !text(choices.getValue(0)).isEmpty()) {
        content++;
      }
    }
    return new SseAnswer(content, usage, done, malformed);
  }

  private static String text(Object choice) {
    if (!(choice instanceof JsonObject c)) {
      return "";
    }
    if (c.getValue("text") instanceof String t) {
      return t;
    }
    return c.getValue("delta") instanceof JsonObject d && d.getValue("content") instanceof String t
        ? t
        : "";
  }
}
