package io.igw.bench.lab;

import java.util.Locale;

/**
 * How the engines' KV-event batches reach a precise picker in the lab: {@code delayMillis} of
 * virtual time after their engine step (publish, network, the subscriber's poll), a fraction {@code
 * lossFraction} of them never delivered on the live socket (a PUB/SUB high-water mark, a dropped
 * connection), and, with {@code replay}, a lost batch fetched from the engine's replay buffer when
 * the next batch shows the gap, as the picker's subscription does (at most once per endpoint per
 * {@link #REPLAY_COOLDOWN_MILLIS}; a gap inside the cooldown stays lost). The replay takes no
 * virtual time.
 */
public record KvEventDelivery(double delayMillis, double lossFraction, boolean replay) {
  public static final double DEFAULT_DELAY_MILLIS = 0;

  /** The picker's {@code replayCooldownMs} default. */
  public static final long REPLAY_COOLDOWN_MILLIS = 1000;

  public static final KvEventDelivery DEFAULTS =
      new KvEventDelivery(DEFAULT_DELAY_MILLIS, 0, false);

  public KvEventDelivery {
    if (!(delayMillis >= 0) || delayMillis > 600_000) {
      throw new IllegalArgumentException(
          "kvEventDelayMillis must be 0..600000, got " + delayMillis);
    }
    if (!(lossFraction >= 0) || lossFraction > 1) {
      throw new IllegalArgumentException("kvEventLossFraction must be 0..1, got " + lossFraction);
    }
  }

  /** One line for the results' setup. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "KV events (precise policies): delivered %s ms after their step, %s %% of batches lost%s",
        fmt(delayMillis),
        fmt(lossFraction * 100),
        replay ? ", lost batches replayed on the next gap (1 s cooldown)" : ", no replay");
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
