package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.kvcache.BlockKeys;
import io.igw.picker.kvcache.KvEventIndex;
import io.igw.picker.kvcache.KvEventSubscriptions;
import io.igw.picker.kvcache.KvEventsOptions;
import io.igw.picker.scheduling.ConfigException;
import io.igw.picker.scheduling.Parameters;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.PluginLifecycle;
import io.igw.picker.scheduling.PluginResources;
import io.igw.picker.scheduling.PreRequest;
import io.igw.picker.scheduling.PrefixMatch;
import io.igw.picker.scheduling.PrefixMatchProducer;
import io.igw.picker.scheduling.PrefixMatches;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TokenizedPrompt;
import io.igw.picker.scheduling.TypedName;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Precise prefix matches from the endpoints' vLLM KV events (llm-d's {@code
 * precise-prefix-cache-producer}): the request's token ids (the token-producer's) cut into blocks
 * and keyed as the {@link KvEventIndex} keys the engines' stored blocks, then, per candidate, how
 * many leading blocks it holds. Read by a scorer's {@code prefixMatchInfoProducerName}
 * (prefix-cache-scorer, prefix-affinity-load-scorer).
 *
 * <ul>
 *   <li>Started with the picker: subscribes to every endpoint's events ({@code kvEventsConfig}:
 *       {@code podDiscoveryConfig.socketPort}, {@code replaySocketPort}, {@code topicFilter}).
 *   <li>Speculative entries ({@code speculativeIndexing}, {@code speculativeTTL} 2s): once a
 *       request is scheduled, its blocks count as held by the chosen endpoint until the TTL ends,
 *       covering the time before its events arrive.
 *   <li>Falls back per endpoint to an approximate index (a prefix-cache-scorer's, fed by where
 *       requests went): for a candidate whose events never reached the index (it publishes
 *       nothing), and for every candidate when the request has no tokens (no token-producer, a
 *       render timeout) or the plugin was never started.
 * </ul>
 */
public final class PrecisePrefixCacheProducer
    implements PrefixMatchProducer, PreRequest, PluginLifecycle {
  public static final String TYPE = "precise-prefix-cache-producer";

  public record Params(
      int blockSizeTokens,
      long hashSeed,
      int indexSize,
      String topicFilter,
      int socketPort,
      int replaySocketPort,
      boolean speculativeIndexing,
      long speculativeTtlMillis,
      int maxPrefixBlocksToMatch) {
    public static final Params DEFAULTS =
        new Params(
            BlockKeys.DEFAULT_BLOCK_SIZE,
            BlockKeys.DEFAULT_SEED,
            KvEventIndex.DEFAULT_BUDGET_ENTRIES,
            KvEventsOptions.DEFAULT_TOPIC_FILTER,
            KvEventsOptions.DEFAULT_SOCKET_PORT,
            KvEventsOptions.DEFAULT_REPLAY_SOCKET_PORT,
            true,
            2000,
            256);
  }

  public static final PluginFactory FACTORY =
      p -> {
        Params d = Params.DEFAULTS;
        Parameters tokens = p.nested("tokenProcessorConfig");
        int blockSize = tokens.intValue("blockSizeTokens", d.blockSizeTokens(), 1, 1024);
        long seed = tokens.longValue("hashSeed", d.hashSeed());
        tokens.done();
        Parameters indexer = p.nested("indexerConfig");
        Parameters blockIndex = indexer.nested("kvBlockIndexConfig");
        Parameters inMemory = blockIndex.nested("inMemoryConfig");
        int size = inMemory.intValue("size", d.indexSize(), 1, 1_000_000_000);
        inMemory.intValue(
            "podCacheSize",
            10,
            1,
            1_000_000); // llm-d's per-key pod list; igw's index has no such cap
        inMemory.done();
        blockIndex.done();
        indexer.done();
        Parameters events = p.nested("kvEventsConfig");
        String topicFilter = events.stringValue("topicFilter", d.topicFilter());
        if (!events.boolValue("discoverPods", true)
            || events.stringValue("zmqEndpoint", null) != null) {
          throw new ConfigException(
              "plugin "
                  + p.plugin()
                  + ": parameter kvEventsConfig: only discoverPods: true "
                  + "(a subscription to each pod) is supported, not one bound zmqEndpoint");
        }
        String engine = events.stringValue("engineType", "vllm");
        if (!engine.equals("vllm")) {
          throw events.bad("engineType", "must be vllm", engine);
        }
        events.intValue(
            "concurrency",
            4,
            1,
            1024); // llm-d's decoding workers; igw applies on its poller threads
        Parameters discovery = events.nested("podDiscoveryConfig");
        int socketPort = discovery.intValue("socketPort", d.socketPort(), 1, 65_535);
        int replayPort = discovery.intValue("replaySocketPort", d.replaySocketPort(), 0, 65_535);
        discovery.done();
        events.done();
        Params params =
            new Params(
                blockSize,
                seed,
                size,
                topicFilter,
                socketPort,
                replayPort,
                p.boolValue("speculativeIndexing", d.speculativeIndexing()),
                p.durationMillis("speculativeTTL", d.speculativeTtlMillis(), 1, 3_600_000),
                p.intValue("maxPrefixBlocksToMatch", d.maxPrefixBlocksToMatch(), 1, 65_536));
        p.done();
        return new PrecisePrefixCacheProducer(p.plugin(), params);
      };

  /** Where a pick's match on its chosen endpoint came from. */
  public enum MatchSource {
    /** The endpoint's KV events (with the speculative entries). */
    EVENTS,
    /** The approximate index: the request had no tokens (none produced, or not in time). */
    NO_TOKENS,
    /** The approximate index: the chosen endpoint's events never reached the index. */
    NO_EVENTS
  }

  /**
   * What {@link #prefixMatches} found, kept for {@link #preRequest}; {@code keys} null when it fell
   * back; {@code fromEvents[i]}: candidate i's match came from its KV events (null without keys).
   */
  private record Cycle(PrefixMatches matches, long[] keys, boolean[] fromEvents) {}

  private final TypedName typedName;
  private final Params params;
  private final KvEventIndex index;
  private final SpeculativeBlocks speculative = new SpeculativeBlocks(1_000_000);
  private final PrefixCacheScorer approximate;
  private final LongAdder[] picksBySource = new LongAdder[MatchSource.values().length];
  private volatile KvEventSubscriptions subscriptions;

  public PrecisePrefixCacheProducer(TypedName typedName, Params params) {
    this.typedName = typedName;
    this.params = params;
    this.index =
        new KvEventIndex(
            new BlockKeys(params.blockSizeTokens(), params.hashSeed()), params.indexSize());
    this.approximate =
        new PrefixCacheScorer(
            new TypedName(PrefixCacheScorer.TYPE, typedName.name() + "/approximate"),
            PrefixCacheScorer.Params.DEFAULTS);
    for (int i = 0; i < picksBySource.length; i++) {
      picksBySource[i] = new LongAdder();
    }
  }

  /** Scheduled picks whose match on the chosen endpoint came from {@code source}, so far. */
  public long picks(MatchSource source) {
    return picksBySource[source.ordinal()].sum();
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  /** The index the subscriptions feed (tests apply batches to it directly). */
  public KvEventIndex index() {
    return index;
  }

  /** The subscriptions once started, else null. */
  public KvEventSubscriptions subscriptions() {
    return subscriptions;
  }

  @Override
  public Future<Void> start(PluginResources resources) {
    KvEventsOptions options =
        new KvEventsOptions()
            .setSocketPort(params.socketPort())
            .setReplaySocketPort(params.replaySocketPort())
            .setTopicFilter(params.topicFilter())
            .setBlockSizeTokens(params.blockSizeTokens())
            .setHashSeed(params.hashSeed())
            .setIndexBudgetEntries(params.indexSize());
    subscriptions =
        KvEventSubscriptions.start(resources.vertx(), resources.endpoints(), index, options);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    KvEventSubscriptions running = subscriptions;
    subscriptions = null;
    return running == null ? Future.succeededFuture() : running.close();
  }

  @Override
  public PrefixMatches prefixMatches(SchedulingContext context, List<EndpointState> candidates) {
    Cycle cycle = context.get(this);
    if (cycle != null && cycle.matches().candidates() == candidates) {
      return cycle.matches();
    }
    TokenizedPrompt tokens = context.produced(TokenizedPrompt.class);
    if (tokens == null) {
      cycle = new Cycle(approximate.prefixMatches(context, candidates), null, null);
    } else {
      cycle = precise(context, candidates, tokens);
    }
    context.put(this, cycle);
    return cycle.matches();
  }

  private Cycle precise(
      SchedulingContext context, List<EndpointState> candidates, TokenizedPrompt tokens) {
    long[] keys =
        index
            .keys()
            .of(
                context.request().targetModel(),
                tokens.tokenIds(),
                params.maxPrefixBlocksToMatch());
    int total =
        tokens.complete()
            ? keys.length
            : Math.max(
                keys.length,
                Math.min(
                    params.maxPrefixBlocksToMatch(),
                    context.request().promptBytes().length()
                        / PrefixCacheScorer.CHARS_PER_TOKEN
                        / params.blockSizeTokens()));
    List<String> addresses = new ArrayList<>(candidates.size());
    for (EndpointState e : candidates) {
      addresses.add(e.address());
    }
    int[] matched = index.matches(addresses, keys);
    int[] guessed =
        params.speculativeIndexing()
            ? speculative.matches(addresses, keys, context.nowMillis())
            : null;
    PrefixMatches approximated = null;
    boolean[] fromEvents = new boolean[matched.length];
    for (int i = 0; i < matched.length; i++) {
      fromEvents[i] = index.knows(addresses.get(i));
      if (fromEvents[i]) {
        matched[i] = guessed == null ? matched[i] : Math.max(matched[i], guessed[i]);
      } else {
        if (approximated == null) {
          approximated = approximate.prefixMatches(context, candidates);
        }
        matched[i] = (int) Math.round(approximated.ratio(i) * total);
      }
    }
    return new Cycle(new PrefixMatches(candidates, matched, total), keys, fromEvents);
  }

  @Override
  public void preRequest(SchedulingContext context, ProfileResult result) {
    Cycle cycle = context.get(this);
    if (cycle == null) {
      return;
    }
    approximate.learn(context, result);
    EndpointState chosen = result.endpoints().get(0);
    int matched = 0;
    MatchSource source = cycle.keys() == null ? MatchSource.NO_TOKENS : MatchSource.NO_EVENTS;
    List<EndpointState> candidates = cycle.matches().candidates();
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i) == chosen) {
        matched = cycle.matches().matched()[i];
        if (cycle.fromEvents() != null && cycle.fromEvents()[i]) {
          source = MatchSource.EVENTS;
        }
      }
    }
    picksBySource[source.ordinal()].increment();
    if (cycle.keys() != null && params.speculativeIndexing() && cycle.keys().length > 0) {
      speculative.add(
          chosen.address(),
          cycle.keys(),
          context.nowMillis() + params.speculativeTtlMillis(),
          context.nowMillis());
    }
    if (cycle.matches().totalBlocks() > 0) {
      context.recordPrefixMatch(
          new PrefixMatch(
              typedName,
              matched,
              cycle.matches().totalBlocks(),
              params.blockSizeTokens() * PrefixCacheScorer.CHARS_PER_TOKEN,
              index.stats().entries()));
    }
  }
}
