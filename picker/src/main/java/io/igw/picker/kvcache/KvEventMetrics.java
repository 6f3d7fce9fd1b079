package io.igw.picker.kvcache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The subscriptions' counts as Micrometer meters ({@code igw_kv_events_*}, {@code igw_kv_index_*}),
 * read from {@link KvEventSubscriptions#stats()} when scraped (one snapshot per meter read; they
 * are cheap). Each meter carries the tag {@code plugin}: the producer's name, so two precise
 * producers (two profiles) do not share meters. The picker binds them to its {@code /metrics} when
 * a precise-prefix-cache-producer starts. Events per second is the rate of {@code
 * igw_kv_events_events_total}; the hit ratio of precise matches is the picker's {@code
 * inference_extension_prefix_indexer_hit_ratio}. Micrometer holds a function counter's state
 * weakly: whoever binds this keeps it (the picker's {@code PickerMetrics.bind} does), or its
 * counters read 0 after a garbage collection.
 */
public final class KvEventMetrics implements MeterBinder {
  public static final String PLUGIN_TAG = "plugin";

  private final Supplier<KvEventStats> stats;
  private final String plugin;

  public KvEventMetrics(KvEventSubscriptions subscriptions, String plugin) {
    this(subscriptions::stats, plugin);
  }

  KvEventMetrics(Supplier<KvEventStats> stats, String plugin) {
    this.stats = stats;
    this.plugin = plugin;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(
        registry,
        "igw_kv_events_batches",
        "KV event batches applied to the index",
        KvEventStats::batches);
    counter(
        registry, "igw_kv_events_events", "KV events applied to the index", KvEventStats::events);
    counter(
        registry,
        "igw_kv_events_skipped_events",
        "KV events that could not be read",
        KvEventStats::skippedEvents);
    counter(
        registry,
        "igw_kv_events_decode_errors",
        "KV event payloads that were not a batch",
        KvEventStats::decodeErrors);
    counter(
        registry,
        "igw_kv_events_malformed_frames",
        "KV event messages without topic, seq and payload",
        KvEventStats::malformedFrames);
    counter(
        registry,
        "igw_kv_events_gaps",
        "sequence gaps on live KV event sockets",
        KvEventStats::gaps);
    counter(
        registry,
        "igw_kv_events_lost_batches",
        "KV event batches no replay recovered",
        KvEventStats::lostBatches);
    counter(
        registry,
        "igw_kv_events_publisher_restarts",
        "engines seen restarting their sequence",
        KvEventStats::restarts);
    counter(
        registry,
        "igw_kv_events_replays",
        "KV event replays requested",
        KvEventStats::replaysRequested);
    counter(
        registry,
        "igw_kv_events_replays_failed",
        "KV event replays abandoned",
        KvEventStats::replaysFailed);
    counter(
        registry,
        "igw_kv_events_replayed_batches",
        "KV event batches applied from replays",
        KvEventStats::replayedBatches);
    gauge(
        registry,
        "igw_kv_events_subscriptions",
        "endpoints subscribed",
        KvEventStats::subscriptions);
    gauge(
        registry,
        "igw_kv_events_lag_milliseconds",
        "receive time minus engine time of the last live batch",
        KvEventStats::lastLagMillis);
    gauge(
        registry,
        "igw_kv_index_entries",
        "blocks in the precise prefix index",
        s -> s.index().entries());
    gauge(
        registry,
        "igw_kv_index_endpoints",
        "endpoints in the precise prefix index",
        s -> s.index().endpoints());
    counter(
        registry,
        "igw_kv_index_budget_evictions",
        "index entries dropped at the budget",
        s -> s.index().budgetEvictions());
    counter(
        registry,
        "igw_kv_index_orphan_stores",
        "BlockStored events skipped for an unknown parent",
        s -> s.index().orphanStores());
    counter(
        registry,
        "igw_kv_index_mismatched_stores",
        "BlockStored events skipped for a block size or token count that does not fit",
        s -> s.index().mismatchedStores());
    counter(
        registry,
        "igw_kv_index_stored_blocks",
        "engine blocks indexed from BlockStored",
        s -> s.index().storedBlocks());
    counter(
        registry,
        "igw_kv_index_removed_blocks",
        "engine blocks removed by BlockRemoved",
        s -> s.index().removedBlocks());
    counter(
        registry,
        "igw_kv_index_clears",
        "endpoints cleared (engine restarts, AllBlocksCleared)",
        s -> s.index().clears());
  }

  private void counter(
      MeterRegistry registry, String name, String help, ToDoubleFunction<KvEventStats> value) {
    FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.get()))
        .description(help)
        .tag(PLUGIN_TAG, plugin)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry, String name, String help, ToDoubleFunction<KvEventStats> value) {
    Gauge.builder(name, stats, s -> value.applyAsDouble(s.get()))
        .description(help)
        .tag(PLUGIN_TAG, plugin)
        .register(registry);
  }
}
