package io.igw.bench.live;

import io.igw.bench.report.MetricsText;

/**
 * What the picker's {@code /metrics} say of precise prefix routing: KV event batches received,
 * index entries, and scheduled picks by the source of the chosen endpoint's match ({@code
 * igw_precise_prefix_picks_total}). Counters are cumulative; {@link #since} gives one run's share.
 * {@link #requirePrecise} fails a run whose precise preset received no event or matched no pick on
 * events, so a silent fallback to the approximate index cannot pass as a precise result.
 */
record PreciseRoutingCounts(
    long batches, long indexEntries, long eventPicks, long noTokenPicks, long noEventPicks) {

  static PreciseRoutingCounts parse(String metrics) {
    return new PreciseRoutingCounts(
        sum(metrics, "igw_kv_events_batches_total", ""),
        sum(metrics, "igw_kv_index_entries", ""),
        sum(metrics, "igw_precise_prefix_picks_total", "match=\"events\""),
        sum(metrics, "igw_precise_prefix_picks_total", "match=\"no_tokens\""),
        sum(metrics, "igw_precise_prefix_picks_total", "match=\"no_events\""));
  }

  /** The counters' growth since {@code before}; the index size as it is now. */
  PreciseRoutingCounts since(PreciseRoutingCounts before) {
    return new PreciseRoutingCounts(
        batches - before.batches,
        indexEntries,
        eventPicks - before.eventPicks,
        noTokenPicks - before.noTokenPicks,
        noEventPicks - before.noEventPicks);
  }

  long picks() {
    return eventPicks + noTokenPicks + noEventPicks;
  }

  /** Throws when the run was not routed on KV events at all. */
  void requirePrecise(String preset, Object logs) {
    if (batches <= 0) {
      throw new IllegalStateException(
          "preset "
              + preset
              + " ran but the picker received no KV event batch (igw_kv_events_batches_total did "
              + "not grow): the servers' events did not reach it, so its picks were approximate; "
              + "see simulators.log and picker-"
              + preset
              + ".log in "
              + logs);
    }
    if (eventPicks <= 0) {
      throw new IllegalStateException(
          "preset "
              + preset
              + " received "
              + batches
              + " KV event batches but matched no pick on them ("
              + noTokenPicks
              + " picks without tokens, "
              + noEventPicks
              + " on endpoints without events): its picks were approximate; logs in "
              + logs);
    }
  }

  /** One line for the report and the log. */
  String describe(String preset) {
    return "precise check ("
        + preset
        + "): "
        + batches
        + " KV event batches received during the run, "
        + indexEntries
        + " index entries at its end; picks matched on KV events "
        + eventPicks
        + " of "
        + picks()
        + " (approximate fallback: "
        + noTokenPicks
        + " without tokens in time, "
        + noEventPicks
        + " on an endpoint without events)";
  }

  private static long sum(String metrics, String name, String label) {
    return Math.round(MetricsText.sum(metrics, name, label));
  }
}
