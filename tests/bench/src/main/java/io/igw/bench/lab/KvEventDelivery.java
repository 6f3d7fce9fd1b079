package io.igw.bench.lab;

import java.util.Locale;

/**
 * How the engines' KV-event batches reach a precise picker in the lab: {@code delayMillis} of
 * virtual time after their engine step (publish, network, the subscriber's poll), a fraction {@code
 * lossFraction} of them never delivered on the live socket (a PUB/SUB high-water mark, a dropped
 * connection), and, with {@code replay}, a lost batch fetched from the engine's replay buffer when
 * the next batch shows the gap, as the picker's subscription does (at most once per endpoint per
 * {@link #REPLAY_COOLDOWN_MILLIS}; a gap inside the cooldown stays lost; only the last {@link
 * #REPLAY_BUFFER_BATCHES} are kept). An {@link Outage} loses every batch of one server for a while.
 * The replay takes no virtual time.
 */
public record KvEventDelivery(
    double delayMillis, double lossFraction, boolean replay, Outage outage) {
  public static final double DEFAULT_DELAY_MILLIS = 0;

  /** The picker's {@code replayCooldownMs} default. */
  public static final long REPLAY_COOLDOWN_MILLIS = 1000;

  /**
   * Batches an engine keeps for replay (vLLM's {@code buffer_steps} default): a gap longer than
   * this cannot be replayed whole.
   */
  public static final int REPLAY_BUFFER_BATCHES = 10_000;

  public static final KvEventDelivery DEFAULTS =
      new KvEventDelivery(DEFAULT_DELAY_MILLIS, 0, false, Outage.NONE);

  /**
   * Every batch of server {@code server} published from {@code fromSeconds} for {@code seconds} of
   * virtual time is lost on the live socket (a subscriber disconnected, a network partition).
   */
  public record Outage(int server, double fromSeconds, double seconds) {
    public static final Outage NONE = new Outage(-1, 0, 0);

    public Outage {
      if (server < -1 || !(fromSeconds >= 0) || !(seconds >= 0)) {
        throw new IllegalArgumentException(
            "a KV event outage needs a server index, a start and a length in seconds");
      }
    }

    /** {@code SERVER@FROM+SECONDS}, e.g. {@code 0@60+30}: server 0 from 60 s for 30 s. */
    public static Outage parse(String text) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+)@(\\d+(?:\\.\\d+)?)\\+(\\d+(?:\\.\\d+)?)")
              .matcher(text.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--kv-event-outage must be SERVER@FROM+SECONDS (e.g. 0@60+30), got " + text);
      }
      return new Outage(
          Integer.parseInt(m.group(1)),
          Double.parseDouble(m.group(2)),
          Double.parseDouble(m.group(3)));
    }

    boolean covers(int serverIndex, double timeSeconds) {
      return serverIndex == server
          && timeSeconds >= fromSeconds
          && timeSeconds < fromSeconds + seconds;
    }
  }

  public KvEventDelivery(double delayMillis, double lossFraction, boolean replay) {
    this(delayMillis, lossFraction, replay, Outage.NONE);
  }

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
        "KV events (precise policies): delivered %s ms after their step, %s %% of batches lost%s%s",
        fmt(delayMillis),
        fmt(lossFraction * 100),
        outage.server() < 0
            ? ""
            : ", server "
                + outage.server()
                + "'s lost from "
                + fmt(outage.fromSeconds())
                + " s for "
                + fmt(outage.seconds())
                + " s",
        replay
            ? ", lost batches replayed on the next gap (1 s cooldown, at most "
                + REPLAY_BUFFER_BATCHES
                + " batches back)"
            : ", no replay");
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
