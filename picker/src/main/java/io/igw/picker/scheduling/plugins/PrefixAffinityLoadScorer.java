package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.PreRequest;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.scheduling.config.PluginFactory;
import java.util.List;

/**
 * igw's load-aware prefix stickiness: a request sticks to a server that holds its prefix (match ≥
 * {@code affinityThreshold}) while that server's load stays within a tolerance of the least loaded candidate;
 * past it, the request goes by load alone, and the server it lands on learns the prefix, so a hot prefix spreads
 * over as many servers as its load needs and no further.
 *
 * <p>Load = waiting + unreported picks + {@code runningWeight} × running. Tolerance = {@code queueTolerance} +
 * matched blocks / {@code blocksPerQueuedRequest}: a longer cached prefix is worth waiting behind more requests.
 * When even the least loaded candidate has {@code saturatedQueue} requests waiting, the pool is saturated and a
 * move would only trade a cached prefix for a queue as long plus a full prefill: the request stays sticky
 * whatever the gap (the routing lab showed hit rates falling from 96 % to 50 % at 60 QPS without this).
 * Sticky candidates score in [0.75, 1] by match; the others in [0, 0.5] by load, so stickiness wins while it holds.
 * The reference profile's relative queue score (0..1 whatever the gap) cannot tell a queue of 1 from a queue of 50;
 * this one can.
 */
public final class PrefixAffinityLoadScorer implements Scorer, PreRequest {
  public static final String TYPE = "prefix-affinity-load-scorer";

  public record Params(double affinityThreshold, double queueTolerance, double blocksPerQueuedRequest,
      double runningWeight, double saturatedQueue) {
    public static final Params DEFAULTS = new Params(0.5, 2, 32, 0.1, 5);
  }

  public static final PluginFactory FACTORY = p -> {
    PrefixCacheScorer.Params prefix = new PrefixCacheScorer.Params(
        p.intValue("blockSizeTokens", PrefixCacheScorer.Params.DEFAULTS.blockSizeTokens(), 1, 65_536),
        p.intValue("maxPrefixBlocksToMatch", PrefixCacheScorer.Params.DEFAULTS.maxPrefixBlocksToMatch(), 1, 65_536),
        p.intValue("lruCapacityPerServer", PrefixCacheScorer.Params.DEFAULTS.lruCapacityPerServer(), 1, 100_000_000),
        p.boolValue("autoTune", PrefixCacheScorer.Params.DEFAULTS.autoTune()));
    Params params = new Params(
        p.doubleValue("affinityThreshold", Params.DEFAULTS.affinityThreshold(), 0, 1),
        p.doubleValue("queueTolerance", Params.DEFAULTS.queueTolerance(), 0, 1_000_000),
        p.doubleValue("blocksPerQueuedRequest", Params.DEFAULTS.blocksPerQueuedRequest(), 1, 1_000_000),
        p.doubleValue("runningWeight", Params.DEFAULTS.runningWeight(), 0, 1_000),
        p.doubleValue("saturatedQueue", Params.DEFAULTS.saturatedQueue(), 0, 1_000_000));
    p.done();
    return new PrefixAffinityLoadScorer(p.plugin(), prefix, params);
  };

  private final TypedName typedName;
  private final PrefixCacheScorer prefix;
  private final Params params;

  public PrefixAffinityLoadScorer(TypedName typedName, PrefixCacheScorer.Params prefixParams, Params params) {
    this.typedName = typedName;
    this.prefix = new PrefixCacheScorer(typedName, prefixParams);
    this.params = params;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    PrefixCacheScorer.Cycle cycle = prefix.match(context, candidates);
    int n = candidates.size();
    double minLoad = Double.MAX_VALUE;
    double maxLoad = 0;
    for (int i = 0; i < n; i++) {
      scores[i] = load(candidates.get(i));
      minLoad = Math.min(minLoad, scores[i]);
      maxLoad = Math.max(maxLoad, scores[i]);
    }
    int blocks = cycle.hashes().length;
    boolean saturated = params.saturatedQueue() > 0 && minQueue(candidates) >= params.saturatedQueue();
    for (int i = 0; i < n; i++) {
      double load = scores[i];
      int matched = cycle.matched()[i];
      double match = blocks == 0 ? 0 : (double) matched / blocks;
      double tolerance = params.queueTolerance() + matched / params.blocksPerQueuedRequest();
      if (blocks > 0 && match >= params.affinityThreshold() && (saturated || load <= minLoad + tolerance)) {
        scores[i] = 0.75 + 0.25 * match;
      } else {
        scores[i] = maxLoad == minLoad ? 0.5 : 0.5 * (maxLoad - load) / (maxLoad - minLoad);
      }
    }
  }

  private static long minQueue(List<EndpointState> candidates) {
    long min = Long.MAX_VALUE;
    for (EndpointState e : candidates) {
      min = Math.min(min, e.queueEstimate());
    }
    return min;
  }

  private double load(EndpointState e) {
    return e.queueEstimate() + params.runningWeight() * e.running();
  }

  @Override
  public void preRequest(SchedulingContext context, ProfileResult result) {
    prefix.preRequest(context, result);
  }
}
