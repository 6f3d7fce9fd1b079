package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.scheduling.Plugin;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.PluginReferences;
import io.igw.picker.scheduling.PreRequest;
import io.igw.picker.scheduling.PrefixMatchProducer;
import io.igw.picker.scheduling.PrefixMatches;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * igw's load-aware prefix score: the fraction of the prompt's prefix blocks a server holds (as the
 * prefix-cache-scorer), withheld from a server that has become a hot spot, so a hot prefix spreads
 * over as many servers as its load needs and no further.
 *
 * <p>A server keeps its score while its match is at least {@code affinityThreshold} and its load
 * stays within a tolerance of the least loaded candidate <em>with room</em>; past it, it scores 0
 * and the other scorers (queue, KV cache) choose, and the server the request lands on learns the
 * prefix. With {@code prefixMatchInfoProducerName} the matches come from that plugin (the
 * precise-prefix-cache-producer's, from KV events) instead of its own approximate index; the spill
 * rule is the same. Load = waiting + unreported picks + {@code runningWeight} × running. Tolerance
 * = {@code queueTolerance} + matched blocks / {@code blocksPerQueuedRequest}: a longer cached
 * prefix is worth waiting behind more requests. A server has room while fewer than {@code
 * saturatedQueue} requests wait there and its KV cache is below {@code saturatedKv}. With no such
 * server the pool is saturated: a copy of the prefix elsewhere would evict other prefixes and add a
 * full prefill to a queue as long, so every holder keeps its score. For a LoRA adapter, room also
 * means the adapter is loaded or a slot is free (the routing lab: hit rates fell from 96 % to 50 %
 * without the queue rule, and a KV-bound b2b-saas pool thrashed without the KV rule).
 *
 * <p>Why not the reference's prefix-cache-scorer next to a queue-scorer: the queue score is
 * relative (0..1 whatever the gap) and cannot tell a queue of 1 from a queue of 50, so a hot prefix
 * piles up on one server.
 */
public final class PrefixAffinityLoadScorer implements Scorer, PreRequest, PluginReferences {
  public static final String TYPE = "prefix-affinity-load-scorer";

  public record Params(
      double affinityThreshold,
      double queueTolerance,
      double blocksPerQueuedRequest,
      double runningWeight,
      double saturatedQueue,
      double saturatedKv) {
    public static final Params DEFAULTS = new Params(0.5, 2, 32, 0.1, 5, 0.8);
  }

  public static final PluginFactory FACTORY =
      p -> {
        PrefixCacheScorer.Params prefix =
            new PrefixCacheScorer.Params(
                p.intValue(
                    "blockSizeTokens",
                    PrefixCacheScorer.Params.DEFAULTS.blockSizeTokens(),
                    1,
                    65_536),
                p.intValue(
                    "maxPrefixBlocksToMatch",
                    PrefixCacheScorer.Params.DEFAULTS.maxPrefixBlocksToMatch(),
                    1,
                    65_536),
                p.intValue(
                    "lruCapacityPerServer",
                    PrefixCacheScorer.Params.DEFAULTS.lruCapacityPerServer(),
                    1,
                    100_000_000),
                p.boolValue("autoTune", PrefixCacheScorer.Params.DEFAULTS.autoTune()));
        Params params =
            new Params(
                p.doubleValue("affinityThreshold", Params.DEFAULTS.affinityThreshold(), 0, 1),
                p.doubleValue("queueTolerance", Params.DEFAULTS.queueTolerance(), 0, 1_000_000),
                p.doubleValue(
                    "blocksPerQueuedRequest",
                    Params.DEFAULTS.blocksPerQueuedRequest(),
                    1,
                    1_000_000),
                p.doubleValue("runningWeight", Params.DEFAULTS.runningWeight(), 0, 1_000),
                p.doubleValue("saturatedQueue", Params.DEFAULTS.saturatedQueue(), 0, 1_000_000),
                p.doubleValue("saturatedKv", Params.DEFAULTS.saturatedKv(), 0, 1));
        String producer = p.stringValue(PrefixCacheScorer.PRODUCER_PARAMETER, null);
        p.done();
        return new PrefixAffinityLoadScorer(p.plugin(), prefix, params, producer);
      };

  private final TypedName typedName;
  private final PrefixCacheScorer prefix;
  private final Params params;
  private final String producerName;
  private PrefixMatchProducer source;

  public PrefixAffinityLoadScorer(
      TypedName typedName, PrefixCacheScorer.Params prefixParams, Params params) {
    this(typedName, prefixParams, params, null);
  }

  /**
   * Reads the matches of the plugin named {@code producerName} (null: its own approximate index).
   */
  public PrefixAffinityLoadScorer(
      TypedName typedName,
      PrefixCacheScorer.Params prefixParams,
      Params params,
      String producerName) {
    this.typedName = typedName;
    this.prefix = new PrefixCacheScorer(typedName, prefixParams);
    this.params = params;
    this.producerName = producerName;
    this.source = prefix;
  }

  @Override
  public void resolve(Function<String, Plugin> pluginsByName) {
    source = PrefixCacheScorer.producer(typedName, producerName, pluginsByName, prefix);
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    PrefixMatches cycle = source.prefixMatches(context, candidates);
    int n = candidates.size();
    int blocks = cycle.totalBlocks();
    if (blocks == 0) {
      Arrays.fill(scores, 0, n, 0);
      return;
    }
    String adapter = adapterOf(context, candidates);
    double minRoomyLoad = Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      EndpointState e = candidates.get(i);
      long queue = e.queueEstimate(context.nowMillis());
      scores[i] = queue + params.runningWeight() * e.running();
      if (hasRoom(e, queue, adapter)) {
        minRoomyLoad = Math.min(minRoomyLoad, scores[i]);
      }
    }
    boolean saturated = minRoomyLoad == Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      int matched = cycle.matched()[i];
      double match = cycle.ratio(i);
      double tolerance = params.queueTolerance() + matched / params.blocksPerQueuedRequest();
      boolean sticky =
          match >= params.affinityThreshold()
              && (saturated || scores[i] <= minRoomyLoad + tolerance);
      scores[i] = sticky ? match : 0;
    }
  }

  /**
   * A server a request may spill to: its queue and its KV cache both have room for another prompt,
   * and for a LoRA adapter, the adapter is loaded there or a slot is free (a spill that evicts
   * another adapter thrashes).
   */
  private boolean hasRoom(EndpointState e, long queue, String adapter) {
    boolean queueRoom = params.saturatedQueue() <= 0 || queue < params.saturatedQueue();
    return queueRoom
        && e.kvCacheUsage() < params.saturatedKv()
        && (adapter == null || LoraAffinityScorer.score(e, adapter) >= LoraAffinityScorer.RUNNING);
  }

  /**
   * The request's model when some candidate knows it as a LoRA adapter (served, running or
   * waiting), else null.
   */
  private static String adapterOf(SchedulingContext context, List<EndpointState> candidates) {
    String model = context.request().targetModel();
    if (model == null) {
      return null;
    }
    for (EndpointState e : candidates) {
      MetricsSnapshot m = e.metrics();
      boolean served = e.models() != null && e.models().adapters().contains(model);
      if (served
          || m != null
              && (m.runningAdapters().contains(model) || m.waitingAdapters().contains(model))) {
        return model;
      }
    }
    return null;
  }

  @Override
  public void preRequest(SchedulingContext context, ProfileResult result) {
    if (source == prefix) {
      prefix.preRequest(context, result);
    }
  }
}
