package io.igw.picker.pick;

import io.igw.picker.core.PickFailure;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Receives a pick's body as bytes, whatever its content type (a form or multipart body is kept as
 * sent, so the pick refuses it with 415), into a buffer of the declared {@code Content-Length} (up
 * to {@link #MAX_PREALLOCATED_BYTES}): NGINX's pick subrequests declare it, so a body of a few
 * hundred kilobytes is not grown by doubling from 1 KB, as Vert.x's body handler does (it
 * preallocates at most 64 KB). A body past the limit, declared or sent, is refused with 413; the
 * rest of it is read and dropped. The declared length was already reserved against the picker's
 * body budget before this runs.
 */
final class PickBodyReceiver implements Handler<RoutingContext> {
  private static final String BODY = "igw.pick-body";

  /** The first buffer for a body of unknown length (sent chunked): most picks fit in it. */
  private static final int UNDECLARED_INITIAL_BYTES = 16 * 1024;

  /**
   * The most taken at once for a declared length; a longer body grows from here by doubling. Taking
   * a whole 1 MiB body's buffer up front made 1 MiB picks ~20 % slower through NGINX (16 such
   * buffers at a time are G1 humongous objects for the whole receipt), where 220 KB bodies gained
   * from it.
   */
  private static final int MAX_PREALLOCATED_BYTES = 256 * 1024;

  private final long maxBodyBytes;

  PickBodyReceiver(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The body this handler received for {@code rc}; empty for a bodyless request. */
  static Buffer body(RoutingContext rc) {
    Buffer body = rc.get(BODY);
    return body != null ? body : Buffer.buffer();
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (request.isEnded()) {
      // only a handler before this one that waited could have let the body go by unread
      rc.fail(PickFailure.internal("the pick body was not read"));
      return;
    }
    long declared = declaredLength(request.getHeader("content-length"));
    if (declared > maxBodyBytes) {
      refuseAndDrain(rc);
      return;
    }
    Buffer body =
        Buffer.buffer(
            declared >= 0
                ? (int) Math.min(declared, MAX_PREALLOCATED_BYTES)
                : UNDECLARED_INITIAL_BYTES);
    request.handler(
        chunk -> {
          if (body.length() + (long) chunk.length() > maxBodyBytes) {
            refuseAndDrain(rc);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.exceptionHandler(rc::fail);
    request.endHandler(
        v -> {
          rc.put(BODY, body);
          rc.next();
        });
    request.resume();
  }

  /** The length a {@code Content-Length} declares; -1 when absent or not a number. */
  private static long declaredLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(header.trim());
      return length >= 0 ? length : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void refuseAndDrain(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    request.handler(chunk -> {});
    request.endHandler(v -> {});
    request.resume();
    if (!rc.failed()) {
      rc.fail(PickFailure.bodyTooLarge(maxBodyBytes));
    }
  }
}
