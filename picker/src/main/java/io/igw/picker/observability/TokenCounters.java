package io.igw.picker.observability;

import io.igw.picker.lifecycle.Completion;
import io.igw.picker.lifecycle.CompletionFeed;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.lifecycle.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token accounting from the completion feed: {@code igw_tokens_total{pool, model_name,
 * target_model_name, objective, tenant, kind}} with kind {@code prompt}, {@code cached_prompt} and
 * {@code completion}, every token of every answer whose usage the data plane read or estimated; and
 * {@code igw_tokens_estimated_total{pool, kind}}, the part of them that was estimated (a stream cut
 * before its usage: completion tokens counted from its chunks, prompt tokens the pick's estimate).
 * Model labels follow {@link PickerMetrics#label}; the first {@code maxTenantLabels} distinct
 * tenants get a label of their own, later ones count as {@value PickerMetrics#OTHER}. Requests the
 * picker did not pick (fail-open, foreign EPPs) have no pool here and are not counted.
 */
public final class TokenCounters implements CompletionFeed.Listener {
  static final String NAME = "igw_tokens";
  static final String ESTIMATED_NAME = "igw_tokens_estimated";

  private final PickerMetrics metrics;
  private final MeterRegistry registry;
  private final int maxTenantLabels;
  private final Set<String> tenantLabels = ConcurrentHashMap.newKeySet();

  public TokenCounters(PickerMetrics metrics, int maxTenantLabels) {
    this.metrics = metrics;
    this.registry = metrics.registry();
    this.maxTenantLabels = maxTenantLabels;
  }

  @Override
  public void onCompletion(Completion completion, InFlightTracker.InFlight request) {
    TokenUsage usage = completion.usage();
    if (usage == null || request == null) {
      return;
    }
    String[] labels = {
      "pool",
      request.pool(),
      "model_name",
      metrics.label(request.model()),
      "target_model_name",
      metrics.label(request.targetModel()),
      "objective",
      request.objective() == null ? "" : request.objective(),
      "tenant",
      tenantLabel(request.tenant())
    };
    count(labels, "prompt", usage.promptTokens());
    count(labels, "cached_prompt", usage.cachedPromptTokens());
    count(labels, "completion", usage.completionTokens());
    if (usage.estimated()) {
      estimated(request.pool(), "prompt", usage.promptTokens());
      estimated(request.pool(), "completion", usage.completionTokens());
    }
  }

  /** The tenant's own label while fewer than the cap have one, else {@code other}. */
  String tenantLabel(String tenant) {
    if (tenant == null) {
      return PickerMetrics.OTHER;
    }
    if (tenantLabels.contains(tenant)) {
      return tenant;
    }
    synchronized (tenantLabels) {
      if (tenantLabels.size() < maxTenantLabels) {
        tenantLabels.add(tenant);
        return tenant;
      }
    }
    return PickerMetrics.OTHER;
  }

  private void count(String[] labels, String kind, long tokens) {
    Counter.builder(NAME)
        .description("Tokens of the answers, as their usage reported or estimated")
        .tags(labels)
        .tag("kind", kind)
        .register(registry)
        .increment(tokens);
  }

  private void estimated(String pool, String kind, long tokens) {
    Counter.builder(ESTIMATED_NAME)
        .description("Tokens of igw_tokens_total that were estimated (streams cut before usage)")
        .tag("pool", pool)
        .tag("kind", kind)
        .register(registry)
        .increment(tokens);
  }
}
