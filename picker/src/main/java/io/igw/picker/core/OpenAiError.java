package io.igw.picker.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The OpenAI error body: {@code {"error":{"message":…,"type":…,"param":null,"code":…}}}. */
public final class OpenAiError {
  private OpenAiError() {}

  public static Buffer body(PickFailure failure) {
    JsonObject error = new JsonObject()
        .put("message", failure.getMessage())
        .put("type", failure.type())
        .putNull("param")
        .put("code", failure.code());
    return new JsonObject().put("error", error).toBuffer();
  }
}
