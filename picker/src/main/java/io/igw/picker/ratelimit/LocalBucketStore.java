package io.igw.picker.ratelimit;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Buckets in this picker's memory (no Redis configured). One lock over all buckets: a request's
 * charges are checked and taken together, and the work under it is a few arithmetic operations per
 * bucket. A bucket that has refilled to full is the same as no bucket, so full ones are dropped
 * when the map is swept (every {@value #SWEEP_EVERY} admissions): memory follows the buckets in
 * use.
 */
public final class LocalBucketStore implements BucketStore {
  static final int SWEEP_EVERY = 4096;

  private final Clock clock;
  private final Map<String, State> buckets = new HashMap<>();
  private int sinceSweep;

  private static final class State {
    final long capacity;
    final long windowMillis;
    double level;
    long updatedAtMillis;

    State(long capacity, long windowMillis, long now) {
      this.capacity = capacity;
      this.windowMillis = windowMillis;
      this.level = capacity;
      this.updatedAtMillis = now;
    }

    double refill(long now) {
      level = TokenBucket.refilled(level, updatedAtMillis, now, capacity, windowMillis);
      updatedAtMillis = now;
      return level;
    }
  }

  public LocalBucketStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<Admission> admit(List<BucketCharge> charges) {
    long now = clock.millis();
    if (++sinceSweep >= SWEEP_EVERY) {
      sweep(now);
    }
    double[] levels = new double[charges.size()];
    int refused = -1;
    for (int i = 0; i < charges.size(); i++) {
      BucketCharge c = charges.get(i);
      State state = buckets.get(c.key());
      levels[i] = state == null ? c.capacity() : state.refill(now);
      if (refused < 0 && levels[i] < c.amount()) {
        refused = i;
      }
    }
    if (refused < 0) {
      for (BucketCharge c : charges) {
        buckets.computeIfAbsent(c.key(), k -> new State(c.capacity(), c.windowMillis(), now))
                .level -=
            c.amount();
      }
    }
    return Future.succeededFuture(new Admission(refused, levels, now));
  }

  @Override
  public synchronized Future<Void> settle(List<BucketCharge> charges) {
    long now = clock.millis();
    for (BucketCharge c : charges) {
      State state = buckets.get(c.key());
      if (state == null) {
        if (c.amount() >= 0) {
          continue; // full already
        }
        state = new State(c.capacity(), c.windowMillis(), now);
        buckets.put(c.key(), state);
      }
      state.refill(now);
      state.level = Math.min(state.capacity, state.level + c.amount());
    }
    return Future.succeededFuture();
  }

  /** Drops the buckets that have refilled to full: they hold nothing a new bucket would not. */
  private void sweep(long now) {
    sinceSweep = 0;
    for (Iterator<State> it = buckets.values().iterator(); it.hasNext(); ) {
      State state = it.next();
      if (state.refill(now) >= state.capacity) {
        it.remove();
      }
    }
  }

  @Override
  public synchronized long size() {
    return buckets.size();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
