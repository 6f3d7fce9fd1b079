package io.igw.picker.observability;

import io.igw.picker.kvcache.KvEventMetrics;
import io.igw.picker.scheduling.plugins.PrecisePrefixCacheProducer;
import io.igw.picker.scheduling.plugins.PrecisePrefixCacheProducer.MatchSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;

/**
 * {@code igw_precise_prefix_picks_total{plugin, match}}: a precise-prefix-cache-producer's
 * scheduled picks by where the chosen endpoint's match came from: {@code events} (its KV events),
 * {@code no_tokens} or {@code no_events} (the approximate fallback: the request had no tokens in
 * time, or the endpoint's events never reached the index). A precise preset whose picks are all
 * fallbacks routes approximately; this tells the two apart.
 */
public final class PrecisePickMetrics implements MeterBinder {
  private final PrecisePrefixCacheProducer producer;

  public PrecisePickMetrics(PrecisePrefixCacheProducer producer) {
    this.producer = producer;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (MatchSource source : MatchSource.values()) {
      FunctionCounter.builder("igw_precise_prefix_picks", producer, p -> p.picks(source))
          .description("Scheduled picks by the source of the chosen endpoint's prefix match")
          .tag(KvEventMetrics.PLUGIN_TAG, producer.typedName().name())
          .tag("match", source.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }
}
