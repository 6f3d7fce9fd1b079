package io.igw.picker.flowcontrol;

import io.igw.picker.core.Director.PreparedPick;
import io.igw.picker.core.PickFailure;
import io.igw.picker.core.PickResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A pick that went through the {@link FlowControlledPickService}: its result completes, on the
 * context that asked, when it is scheduled or refused.
 */
final class PendingPick {
  private final PreparedPick prepared;
  private final FlowItem<PendingPick> item;
  private final Context context = Vertx.currentContext();
  private final Promise<PickResult> promise = Promise.promise();
  private final long offeredAtMillis;

  PendingPick(PreparedPick prepared, long bytes, long offeredAtMillis) {
    this.prepared = prepared;
    this.item = new FlowItem<>(this, prepared.priority(), bytes);
    this.offeredAtMillis = offeredAtMillis;
  }

  Future<PickResult> result() {
    return promise.future();
  }

  PreparedPick prepared() {
    return prepared;
  }

  FlowItem<PendingPick> item() {
    return item;
  }

  long offeredAtMillis() {
    return offeredAtMillis;
  }

  void succeed(PickResult result) {
    onContext(() -> promise.tryComplete(result));
  }

  void fail(PickFailure failure) {
    onContext(() -> promise.tryFail(failure));
  }

  private void onContext(Runnable settle) {
    if (context == null || Vertx.currentContext() == context) {
      settle.run();
    } else {
      context.runOnContext(v -> settle.run());
    }
  }
}
