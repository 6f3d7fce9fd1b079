package io.igw.picker.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * How a pick read its body before the streaming scanner: {@link JsonBodyLimits}, the codec's tree,
 * then {@link OpenAiParser} over the tree. The scanner's answers are checked against it: same api,
 * model and prompt bytes, or the same failure (status, code, message).
 */
record TreePathReading(OpenAiRequest request, PickFailure failure) {
  static TreePathReading of(String body, String path) {
    try {
      Buffer raw = Buffer.buffer(body);
      JsonBodyLimits.check(raw);
      Object value;
      try {
        value = raw.toJsonValue();
      } catch (DecodeException | IllegalStateException e) {
        throw PickFailure.invalidBody("invalid_json", "the request body is not valid JSON");
      }
      if (!(value instanceof JsonObject object)) {
        throw PickFailure.invalidBody("invalid_body", "the request body must be a JSON object");
      }
      Object model = object.getValue("model");
      if (model != null && !(model instanceof String)) {
        throw PickFailure.invalidBody("invalid_model", "model must be a string");
      }
      if ("".equals(model)) {
        throw PickFailure.invalidBody("invalid_model", "model must not be empty");
      }
      return new TreePathReading(OpenAiParser.parse(path, object), null);
    } catch (PickFailure failure) {
      return new TreePathReading(null, failure);
    }
  }

  /**
   * What a pick reads now: {@link PickBody#check()}, then {@link PickBody#openAi}. The body lies
   * inside a larger array (an array offset and a reader index, with a closing quote and brace on
   * either side), as a slice of a network buffer may: a scan that read past its body's bounds would
   * read them.
   */
  static TreePathReading scanned(String body, String path) {
    try {
      PickBody checked = PickBody.of(embedded(body));
      checked.check();
      return new TreePathReading(checked.openAi(path), null);
    } catch (PickFailure failure) {
      return new TreePathReading(null, failure);
    }
  }

  static Buffer embedded(String body) {
    byte[] text = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] padded = new byte[text.length + 6];
    byte[] pad = "\"}\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(pad, 0, padded, 0, 3);
    System.arraycopy(text, 0, padded, 3, text.length);
    System.arraycopy(pad, 0, padded, 3 + text.length, 3);
    io.netty.buffer.ByteBuf bytes =
        io.netty.buffer.Unpooled.wrappedBuffer(padded, 1, text.length + 4);
    bytes.readerIndex(2).writerIndex(2 + text.length);
    return io.vertx.core.internal.buffer.BufferInternal.buffer(bytes);
  }

  /** Equal answers; prompt bytes compared by content. */
  boolean sameAs(TreePathReading other) {
    if (failure != null || other.failure != null) {
      return failure != null
          && other.failure != null
          && failure.status() == other.failure.status()
          && Objects.equals(failure.code(), other.failure.code())
          && Objects.equals(failure.getMessage(), other.failure.getMessage());
    }
    return request.api() == other.request.api()
        && Objects.equals(request.model(), other.request.model())
        && request.promptBytes().equals(other.request.promptBytes());
  }

  @Override
  public String toString() {
    return failure != null
        ? "failure " + failure.status() + " " + failure.getMessage()
        : request.api() + " model=" + request.model() + " prompt=" + request.promptBytes().text();
  }
}
