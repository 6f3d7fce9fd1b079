package io.igw.bench.lab;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The lab's time as the picker reads it ({@code PickOptions.setClock}): whatever the event loop set
 * last, in milliseconds of virtual time since the start of the run. It never moves on its own and
 * never goes back.
 */
public final class VirtualClock extends Clock {
  private long millis;

  /** Moves the clock to {@code nowMillis}; an earlier time leaves it where it is. */
  public void set(long nowMillis) {
    millis = Math.max(millis, nowMillis);
  }

  /** Moves the clock to {@code seconds} of virtual time, rounded to the millisecond. */
  public void setSeconds(double seconds) {
    set(Math.round(seconds * 1000));
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the lab's clock has one zone, UTC");
  }
}
