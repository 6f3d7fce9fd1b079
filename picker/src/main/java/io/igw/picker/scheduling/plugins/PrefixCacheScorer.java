package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.scheduling.ConfigException;
import io.igw.picker.scheduling.Plugin;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.PluginReferences;
import io.igw.picker.scheduling.PreRequest;
import io.igw.picker.scheduling.PrefixMatch;
import io.igw.picker.scheduling.PrefixMatchProducer;
import io.igw.picker.scheduling.PrefixMatches;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.List;
import java.util.function.Function;

/**
 * Approximate prefix-cache affinity: the share of the prompt's leading blocks a server is believed
 * to hold ({@link PrefixIndex}), blocks of {@code blockSizeTokens} × 4 bytes hashed as a chain
 * ({@link PrefixHasher}). When a request is scheduled, the chosen server is recorded as holding its
 * blocks, and what it was believed to hold before is reported as a {@link PrefixMatch} (the
 * picker's hit-ratio metric).
 *
 * <p>With {@code autoTune} (upstream's default) block size and per-server capacity come from the
 * servers' {@code cache_config_info}. A request is hashed once, with one block size: the smallest
 * any candidate reports (a pool normally reports one). A server with larger blocks then gets its
 * capacity converted to index blocks. Should the candidates' block size change, blocks recorded
 * under the old size stop matching (misses, never false hits: chains of different block sizes do
 * not share hashes) until servers learn them again.
 *
 * <p>With {@code prefixMatchInfoProducerName} (upstream's parameter) the score reads that plugin's
 * matches instead of this index (the precise-prefix-cache-producer's, from KV events), and this
 * plugin records nothing.
 */
public final class PrefixCacheScorer
    implements Scorer, PreRequest, PrefixMatchProducer, PluginReferences {
  public static final String TYPE = "prefix-cache-scorer";
  public static final int CHARS_PER_TOKEN = io.igw.api.TokenEstimate.BYTES_PER_TOKEN;
  static final long PURGE_EVERY_MILLIS = 60_000;

  /** The parameter naming the plugin whose prefix matches a scorer reads (upstream's name). */
  public static final String PRODUCER_PARAMETER = "prefixMatchInfoProducerName";

  static final long FORGET_IDLE_MILLIS = 10 * 60_000;

  /**
   * {@code autoTune} on by default, as upstream's prefix plugin: the servers know their cache
   * geometry best.
   */
  public record Params(
      int blockSizeTokens, int maxPrefixBlocksToMatch, int lruCapacityPerServer, boolean autoTune) {
    public static final Params DEFAULTS = new Params(16, 256, 31_250, true);
  }

  public static final PluginFactory FACTORY =
      p -> {
        Params params =
            new Params(
                p.intValue("blockSizeTokens", Params.DEFAULTS.blockSizeTokens(), 1, 65_536),
                p.intValue(
                    "maxPrefixBlocksToMatch", Params.DEFAULTS.maxPrefixBlocksToMatch(), 1, 65_536),
                p.intValue(
                    "lruCapacityPerServer", Params.DEFAULTS.lruCapacityPerServer(), 1, 100_000_000),
                p.boolValue("autoTune", Params.DEFAULTS.autoTune()));
        String producer = p.stringValue(PRODUCER_PARAMETER, null);
        p.done();
        return new PrefixCacheScorer(p.plugin(), params, producer);
      };

  /**
   * What {@link #score} computed, kept for {@link #preRequest}: {@code matched[i]} is for {@code
   * candidates[i]}.
   */
  record Cycle(List<EndpointState> candidates, long[] hashes, int[] matched, int blockSizeTokens) {}

  private final TypedName typedName;
  private final Params params;
  private final PrefixIndex index;
  private final String producerName;
  private PrefixMatchProducer source = this;
  private volatile long nextPurgeMillis;

  public PrefixCacheScorer(TypedName typedName, Params params) {
    this(typedName, params, null);
  }

  /**
   * Scores from the matches of the plugin named {@code producerName} (null: its own approximate
   * index).
   */
  public PrefixCacheScorer(TypedName typedName, Params params, String producerName) {
    this.typedName = typedName;
    this.params = params;
    this.producerName = producerName;
    this.index = new PrefixIndex(params.lruCapacityPerServer());
  }

  @Override
  public void resolve(Function<String, Plugin> pluginsByName) {
    source = producer(typedName, producerName, pluginsByName, this);
  }

  /**
   * The prefix-match producer {@code name} refers to ({@code self} when null), or a config error
   * naming the parameter.
   */
  static PrefixMatchProducer producer(
      TypedName plugin,
      String name,
      Function<String, Plugin> pluginsByName,
      PrefixMatchProducer self) {
    if (name == null) {
      return self;
    }
    Plugin named = pluginsByName.apply(name);
    if (!(named instanceof PrefixMatchProducer producer) || named == self) {
      throw new ConfigException(
          "plugin "
              + plugin
              + ": parameter "
              + PRODUCER_PARAMETER
              + " names "
              + (named == null
                  ? "no plugin"
                  : named.typedName() + ", which produces no prefix matches")
              + ": "
              + name);
    }
    return producer;
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
    if (source != this) {
      PrefixMatches matches = source.prefixMatches(context, candidates);
      for (int i = 0; i < scores.length; i++) {
        scores[i] = matches.ratio(i);
      }
      return;
    }
    Cycle cycle = match(context, candidates);
    if (cycle.hashes().length == 0) {
      return;
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (double) cycle.matched()[i] / cycle.hashes().length;
    }
  }

  /**
   * This index's matches (approximate: where requests were sent), whatever {@code
   * prefixMatchInfoProducerName}.
   */
  @Override
  public PrefixMatches prefixMatches(SchedulingContext context, List<EndpointState> candidates) {
    Cycle cycle = match(context, candidates);
    return new PrefixMatches(cycle.candidates(), cycle.matched(), cycle.hashes().length);
  }

  /**
   * Hashes the prompt and matches it against the candidates once per cycle (shared by scorers built
   * on this).
   */
  public Cycle match(SchedulingContext context, List<EndpointState> candidates) {
    Cycle cycle = context.get(this);
    if (cycle != null && cycle.candidates() == candidates) {
      return cycle;
    }
    int blockSizeTokens = blockSizeTokens(candidates);
    long[] hashes =
        PrefixHasher.blockHashes(
            context.request().targetModel(),
            context.request().promptBytes(),
            blockSizeTokens * CHARS_PER_TOKEN,
            params.maxPrefixBlocksToMatch());
    int[] matched = new int[candidates.size()];
    if (hashes.length > 0) {
      index.match(candidates, hashes, matched, context.nowMillis());
    }
    cycle = new Cycle(candidates, hashes, matched, blockSizeTokens);
    context.put(this, cycle);
    return cycle;
  }

  @Override
  public void preRequest(SchedulingContext context, ProfileResult result) {
    if (source != this) {
      return; // the producer records its own match
    }
    int matched = learn(context, result);
    Cycle cycle = context.get(this);
    if (matched >= 0) {
      context.recordPrefixMatch(
          new PrefixMatch(
              typedName,
              matched,
              cycle.hashes().length,
              cycle.blockSizeTokens() * CHARS_PER_TOKEN,
              index.totalBlocks()));
    }
  }

  /**
   * Records the scheduled endpoint as holding the request's blocks (when this cycle matched them);
   * answers how many it was believed to hold before, or -1 when nothing was matched.
   */
  public int learn(SchedulingContext context, ProfileResult result) {
    Cycle cycle = context.get(this);
    if (cycle == null || cycle.hashes().length == 0) {
      return -1;
    }
    EndpointState chosen = result.endpoints().get(0);
    int matched = matchedBlocks(cycle, chosen, context.nowMillis());
    index.add(
        chosen.address(),
        cycle.hashes(),
        capacity(chosen, cycle.blockSizeTokens()),
        context.nowMillis());
    if (context.nowMillis() >= nextPurgeMillis) {
      nextPurgeMillis = context.nowMillis() + PURGE_EVERY_MILLIS;
      index.purgeIdle(context.nowMillis() - FORGET_IDLE_MILLIS);
    }
    return matched;
  }

  /**
   * The chosen endpoint's match; looked up again when another profile's candidates were matched
   * last.
   */
  private int matchedBlocks(Cycle cycle, EndpointState chosen, long nowMillis) {
    for (int i = 0; i < cycle.candidates().size(); i++) {
      if (cycle.candidates().get(i) == chosen) {
        return cycle.matched()[i];
      }
    }
    int[] matched = new int[1];
    index.match(List.of(chosen), cycle.hashes(), matched, nowMillis);
    return matched[0];
  }

  /**
   * With auto-tune, the server's KV-cache size in blocks of the index's size; else 0 (the
   * configured capacity).
   */
  private int capacity(EndpointState server, int indexBlockSizeTokens) {
    MetricsSnapshot m = server.metrics();
    if (!params.autoTune() || m == null || m.numCacheBlocks() <= 0) {
      return 0;
    }
    long tokens =
        m.numCacheBlocks() * (m.blockSizeTokens() > 0 ? m.blockSizeTokens() : indexBlockSizeTokens);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, tokens / indexBlockSizeTokens));
  }

  /**
   * The smallest block size a candidate reports (auto-tune), so that the choice does not depend on
   * their order.
   */
  int blockSizeTokens(List<EndpointState> candidates) {
    int smallest = Integer.MAX_VALUE;
    if (params.autoTune()) {
      for (EndpointState e : candidates) {
        MetricsSnapshot m = e.metrics();
        if (m != null && m.blockSizeTokens() > 0) {
          smallest = Math.min(smallest, m.blockSizeTokens());
        }
      }
    }
    return smallest == Integer.MAX_VALUE ? params.blockSizeTokens() : smallest;
  }
}
