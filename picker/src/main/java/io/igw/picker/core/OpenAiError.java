package io.igw.picker.core;

import io.vertx.core.buffer.Buffer;

/** The OpenAI error body: {@code {"error":{"message":…,"type":…,"param":null,"code":…}}}. */
public final class OpenAiError {
  private OpenAiError() {}

  public static Buffer body(PickFailure failure) {
    return Buffer.buffer(
        io.igw.api.OpenAiErrorBody.json(failure.type(), failure.code(), failure.getMessage()));
  }
}
