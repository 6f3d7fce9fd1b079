package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.metrics.MetricsSnapshot;
import io.igw.picker.scheduling.PreRequest;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.scheduling.config.PluginFactory;
import java.util.List;

/**
 * Approximate prefix-cache affinity: the share of the prompt's leading blocks a server is believed to hold
 * ({@link PrefixIndex}), blocks of {@code blockSizeTokens} × 4 bytes hashed as a chain ({@link PrefixHasher}).
 * When a request is scheduled, the chosen server is recorded as holding its blocks. With {@code autoTune}, block
 * size and per-server capacity come from the servers' {@code cache_config_info}.
 */
public final class PrefixCacheScorer implements Scorer, PreRequest {
  public static final String TYPE = "prefix-cache-scorer";
  public static final int CHARS_PER_TOKEN = 4;
  static final long PURGE_EVERY_MILLIS = 60_000;
  static final long FORGET_IDLE_MILLIS = 10 * 60_000;

  public record Params(int blockSizeTokens, int maxPrefixBlocksToMatch, int lruCapacityPerServer, boolean autoTune) {
    public static final Params DEFAULTS = new Params(16, 256, 31_250, false);
  }

  public static final PluginFactory FACTORY = p -> {
    Params params = new Params(
        p.intValue("blockSizeTokens", Params.DEFAULTS.blockSizeTokens(), 1, 65_536),
        p.intValue("maxPrefixBlocksToMatch", Params.DEFAULTS.maxPrefixBlocksToMatch(), 1, 65_536),
        p.intValue("lruCapacityPerServer", Params.DEFAULTS.lruCapacityPerServer(), 1, 100_000_000),
        p.boolValue("autoTune", Params.DEFAULTS.autoTune()));
    p.done();
    return new PrefixCacheScorer(p.plugin(), params);
  };

  /** What {@link #score} computed, kept for {@link #preRequest}. */
  record Cycle(long[] hashes, int[] matched) {}

  private final TypedName typedName;
  private final Params params;
  private final PrefixIndex index;
  private volatile long nextPurgeMillis;

  public PrefixCacheScorer(TypedName typedName, Params params) {
    this.typedName = typedName;
    this.params = params;
    this.index = new PrefixIndex(params.lruCapacityPerServer());
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  public PrefixIndex index() {
    return index;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    Cycle cycle = match(context, candidates);
    if (cycle.hashes().length == 0) {
      return;
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (double) cycle.matched()[i] / cycle.hashes().length;
    }
  }

  /** Hashes the prompt and matches it against the candidates once per cycle (shared by scorers built on this). */
  public Cycle match(SchedulingContext context, List<EndpointState> candidates) {
    Cycle cycle = context.get(this);
    if (cycle != null && cycle.matched().length == candidates.size()) {
      return cycle;
    }
    int blockBytes = blockSizeTokens(candidates) * CHARS_PER_TOKEN;
    long[] hashes = PrefixHasher.blockHashes(context.request().targetModel(), context.request().promptBytes(),
        blockBytes, params.maxPrefixBlocksToMatch());
    int[] matched = new int[candidates.size()];
    if (hashes.length > 0) {
      index.match(candidates, hashes, matched, context.nowMillis());
    }
    cycle = new Cycle(hashes, matched);
    context.put(this, cycle);
    return cycle;
  }

  @Override
  public void preRequest(SchedulingContext context, ProfileResult result) {
    Cycle cycle = context.get(this);
    if (cycle == null || cycle.hashes().length == 0) {
      return;
    }
    EndpointState chosen = result.endpoints().get(0);
    MetricsSnapshot m = chosen.metrics();
    int capacity = params.autoTune() && m != null && m.numCacheBlocks() > 0
        ? (int) Math.min(Integer.MAX_VALUE, m.numCacheBlocks()) : 0;
    index.add(chosen.address(), cycle.hashes(), capacity, context.nowMillis());
    if (context.nowMillis() >= nextPurgeMillis) {
      nextPurgeMillis = context.nowMillis() + PURGE_EVERY_MILLIS;
      index.purgeIdle(context.nowMillis() - FORGET_IDLE_MILLIS);
    }
  }

  private int blockSizeTokens(List<EndpointState> candidates) {
    if (params.autoTune()) {
      for (EndpointState e : candidates) {
        MetricsSnapshot m = e.metrics();
        if (m != null && m.blockSizeTokens() > 0) {
          return m.blockSizeTokens();
        }
      }
    }
    return params.blockSizeTokens();
  }
}
