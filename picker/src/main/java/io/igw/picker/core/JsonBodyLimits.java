package io.igw.picker.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;

/**
 * Bounds on the shape of a pick body, checked by one streaming pass before the body is turned into
 * objects: a 4 MiB body of tiny numbers or of brackets would otherwise become millions of objects
 * (or a deep recursion). Only the shape is looked at; syntax errors are left to the parse that
 * follows.
 */
public final class JsonBodyLimits {
  /** Far deeper than any OpenAI body (tool schemas included). */
  public static final int MAX_DEPTH = 64;

  /**
   * More items than any context window holds tokens, far fewer than a body limit's worth of tiny
   * numbers.
   */
  public static final int MAX_ARRAY_ITEMS = 262_144;

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonBodyLimits() {}

  /**
   * Throws a 400 (too deep) or 413 (an array too long) {@link PickFailure}; returns when within the
   * bounds.
   */
  public static void check(Buffer raw) {
    int[] items = new int[MAX_DEPTH + 1];
    boolean[] array = new boolean[MAX_DEPTH + 1];
    int depth = 0;
    // read in place, as Vert.x's own decoder does: no copy of the (up to 4 MiB) body per pick
    try (JsonParser parser =
        FACTORY.createParser(
            (java.io.InputStream) new ByteBufInputStream(((BufferInternal) raw).getByteBuf()))) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (depth > 0
            && array[depth]
            && token != JsonToken.END_ARRAY
            && ++items[depth] > MAX_ARRAY_ITEMS) {
          throw new PickFailure(
              413,
              "invalid_request_error",
              "request_too_large",
              "the request body has an array of more than " + MAX_ARRAY_ITEMS + " items");
        }
        if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
          if (++depth > MAX_DEPTH) {
            throw PickFailure.badRequest(
                "the request body nests deeper than " + MAX_DEPTH + " levels");
          }
          array[depth] = token == JsonToken.START_ARRAY;
          items[depth] = 0;
        } else if (token == JsonToken.END_ARRAY || token == JsonToken.END_OBJECT) {
          depth--;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof PickFailure failure) {
        throw failure;
      }
      // not JSON (or not all of it): the parse that follows says so
    }
  }
}
