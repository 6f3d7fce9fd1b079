package io.igw.picker.testing;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a test thread on a Vert.x future (30 s at most: a loaded machine starts servers slowly).
 */
public final class Await {
  private Await() {}

  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
