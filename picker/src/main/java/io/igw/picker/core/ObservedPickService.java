package io.igw.picker.core;

import io.vertx.core.Future;

/**
 * Reports every outcome of the in-process pick path to a {@link PickObserver}: the one place the
 * picker's pick and error counters are fed from. A pick whose client went away while it waited is
 * not reported: it was never answered.
 */
public final class ObservedPickService implements PickService {
  private final PickService picks;
  private final PickObserver observer;

  public ObservedPickService(PickService picks, PickObserver observer) {
    this.picks = picks;
    this.observer = observer;
  }

  @Override
  public Future<PickResult> pick(PickRequest request) {
    return picks
        .pick(request)
        .andThen(
            ar -> {
              if (ar.succeeded()) {
                observer.picked(request.model(), ar.result());
              } else {
                PickFailure failure = PickFailure.of(ar.cause());
                if (!failure.isClientGone()) {
                  observer.refused(request.model(), failure);
                }
              }
            });
  }

  @Override
  public void release(PickRequest request) {
    picks.release(request);
  }
}
