package io.igw.api.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told, and never back: the routing lab's virtual time (the picker
 * reads it through {@code PickOptions.setClock}) and tests' time. UTC.
 */
public final class ManualClock extends Clock {
  private volatile long millis;

  /** Starts at {@code startMillis} since the epoch. */
  public ManualClock(long startMillis) {
    this.millis = startMillis;
  }

  /** Moves the clock to {@code nowMillis}; an earlier time leaves it where it is. */
  public void set(long nowMillis) {
    millis = Math.max(millis, nowMillis);
  }

  /** Moves the clock to {@code seconds} since the epoch, rounded to the millisecond. */
  public void setSeconds(double seconds) {
    set(Math.round(seconds * 1000));
  }

  /** Moves the clock on by {@code deltaMillis} (at least 0). */
  public void advance(long deltaMillis) {
    if (deltaMillis < 0) {
      throw new IllegalArgumentException("a manual clock does not go back: " + deltaMillis + " ms");
    }
    millis += deltaMillis;
  }

  /** Moves the clock on by {@code delta}. */
  public void advance(java.time.Duration delta) {
    advance(delta.toMillis());
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
    return this;
  }
}
