package io.igw.picker.scheduling.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.kvcache.KvEvent;
import io.igw.picker.kvcache.KvEventBatch;
import io.igw.picker.scheduling.ConfigException;
import io.igw.picker.scheduling.PrefixMatches;
import io.igw.picker.scheduling.ProducedData;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.SchedulingProfile;
import io.igw.picker.scheduling.SchedulingRequest;
import io.igw.picker.scheduling.TokenizedPrompt;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.scheduling.config.PluginRegistry;
import io.igw.picker.scheduling.config.SchedulerConfig;
import io.igw.picker.testing.Endpoints;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The precise producer over a real {@link io.igw.picker.kvcache.KvEventIndex} fed with engine
 * batches (no sockets): matches of publishing endpoints come from their events, speculative entries
 * cover the chosen endpoint until their TTL, an endpoint that publishes nothing and a request
 * without tokens fall back to the approximate index, and the scorers read the match through {@code
 * prefixMatchInfoProducerName}.
 */
class PrecisePrefixCacheProducerTest {
  private static final String MODEL = "m";
  private final EndpointState a = Endpoints.state(1, 0, 0, 0);
  private final EndpointState b = Endpoints.state(2, 0, 0, 0);
  private final EndpointState c = Endpoints.state(3, 0, 0, 0);
  private final List<EndpointState> candidates = List.of(a, b, c);

  private static PrecisePrefixCacheProducer producer(boolean speculative) {
    return new PrecisePrefixCacheProducer(
        new io.igw.picker.scheduling.TypedName(PrecisePrefixCacheProducer.TYPE, "precise"),
        new PrecisePrefixCacheProducer.Params(
            16, 0, 100_000, "kv@", 5557, 5558, speculative, 2000, 256));
  }

  private static int[] tokens(int seed, int count) {
    return new SplittableRandom(seed).ints(count, 0, 150_000).toArray();
  }

  /**
   * {@code endpoint}'s engine stored the first {@code blocks} blocks of {@code prompt} (random
   * engine hashes).
   */
  private static void stored(
      PrecisePrefixCacheProducer producer, EndpointState endpoint, int[] prompt, int blocks) {
    long[] hashes = new SplittableRandom(endpoint.address().hashCode()).longs(blocks).toArray();
    producer
        .index()
        .apply(
            endpoint.address(),
            MODEL,
            new KvEventBatch(
                0,
                List.of(
                    new KvEvent.BlockStored(
                        hashes, null, Arrays.copyOf(prompt, blocks * 16), 16, null, "GPU"))));
  }

  private static void removed(
      PrecisePrefixCacheProducer producer, EndpointState endpoint, int blocks) {
    long[] hashes = new SplittableRandom(endpoint.address().hashCode()).longs(blocks).toArray();
    producer
        .index()
        .apply(
            endpoint.address(),
            MODEL,
            new KvEventBatch(
                0,
                List.of(
                    new KvEvent.BlockRemoved(
                        Arrays.copyOfRange(hashes, blocks - 1, blocks), "GPU"))));
  }

  private static SchedulingContext context(int[] ids, String prompt, long now) {
    ProducedData data = new ProducedData();
    if (ids != null) {
      data.put(TokenizedPrompt.class, new TokenizedPrompt(ids, true, "test"));
    }
    return new SchedulingContext(
        new SchedulingRequest(
            "r", MODEL, PromptBytes.utf8(prompt), SchedulingRequest.NO_HEADERS, 0),
        now,
        new SplittableRandom(1),
        data);
  }

  @Test
  void publishingEndpointsAreMatchedByTheirEventsAndEvictionsTakeTheMatchAway() {
    PrecisePrefixCacheProducer producer = producer(false);
    int[] prompt = tokens(1, 8 * 16 + 3);
    stored(producer, a, prompt, 6);
    stored(producer, b, tokens(2, 64), 4);

    PrefixMatches matches = producer.prefixMatches(context(prompt, "x".repeat(600), 0), candidates);

    assertThat(matches.totalBlocks()).isEqualTo(8);
    assertThat(matches.matched()).containsExactly(6, 0, 0);
    removed(producer, a, 6);
    assertThat(producer.prefixMatches(context(prompt, "x".repeat(600), 0), candidates).matched())
        .containsExactly(5, 0, 0);
  }

  @Test
  void theChosenEndpointHoldsTheBlocksSpeculativelyUntilTheTtlEnds() {
    PrecisePrefixCacheProducer producer = producer(true);
    stored(producer, a, tokens(2, 64), 4);
    stored(producer, b, tokens(3, 64), 4);
    int[] prompt = tokens(1, 5 * 16);
    SchedulingContext first = context(prompt, "p", 1_000);
    producer.prefixMatches(first, candidates);

    producer.preRequest(first, new ProfileResult("default", List.of(b)));

    assertThat(producer.prefixMatches(context(prompt, "p", 2_999), candidates).matched())
        .containsExactly(0, 5, 0);
    assertThat(producer.prefixMatches(context(prompt, "p", 3_000), candidates).matched())
        .containsExactly(0, 0, 0);
    assertThat(first.prefixMatches())
        .singleElement()
        .satisfies(m -> assertThat(m.matchedBlocks()).isZero());
  }

  @Test
  void anEndpointWithoutEventsAndARequestWithoutTokensFallBackToTheApproximateIndex() {
    PrecisePrefixCacheProducer producer = producer(false);
    String text = "a shared system prompt of a few hundred bytes ".repeat(20);
    int[] prompt = tokens(1, 4 * 16);
    stored(producer, a, tokens(9, 64), 4);
    SchedulingContext sent = context(null, text, 0);
    producer.prefixMatches(sent, candidates);
    producer.preRequest(sent, new ProfileResult("default", List.of(c)));

    PrefixMatches precise = producer.prefixMatches(context(prompt, text, 1), candidates);
    PrefixMatches noTokens = producer.prefixMatches(context(null, text, 1), candidates);

    assertThat(precise.matched())
        .as("c publishes nothing: its approximate match, scaled to 4 blocks")
        .containsExactly(0, 0, 4);
    assertThat(noTokens.matched()[2]).isEqualTo(noTokens.totalBlocks()).isPositive();
    assertThat(noTokens.matched()[0]).isZero();
  }

  @Test
  void thePresetWiresTheScorerToTheProducer() {
    SchedulerConfig config = EndpointPickerConfigLoader.preset("precise");

    assertThat(config.producers())
        .extracting(p -> p.typedName().type())
        .containsExactly(TokenProducer.TYPE);
    assertThat(config.lifecycles())
        .extracting(p -> p.typedName().type())
        .containsExactly(TokenProducer.TYPE, PrecisePrefixCacheProducer.TYPE);
    PrecisePrefixCacheProducer producer =
        (PrecisePrefixCacheProducer)
            config.plugins().stream()
                .filter(PrecisePrefixCacheProducer.class::isInstance)
                .findFirst()
                .orElseThrow();
    int[] prompt = tokens(1, 4 * 16);
    stored(producer, b, prompt, 4);
    stored(producer, a, tokens(5, 64), 4);
    stored(producer, c, tokens(6, 64), 4);
    SchedulingContext context = context(prompt, "p".repeat(256), 0);

    ProfileResult result = config.scheduler().schedule(context, candidates);

    assertThat(result.endpoints().get(0)).isSameAs(b);
    assertThat(context.prefixMatches())
        .singleElement()
        .satisfies(m -> assertThat(m.matchedBlocks()).isEqualTo(4));
  }

  @Test
  void aPrefixCacheScorerReadsTheProducerItNames() {
    SchedulerConfig config =
        load(
            """
        - {type: precise-prefix-cache-producer, name: kv}
        - {type: prefix-cache-scorer, parameters: {prefixMatchInfoProducerName: kv}}
        """,
            "prefix-cache-scorer");
    PrecisePrefixCacheProducer producer = (PrecisePrefixCacheProducer) config.plugins().get(0);
    int[] prompt = tokens(1, 4 * 16);
    stored(producer, c, prompt, 2);
    SchedulingProfile profile = config.scheduler().profiles().get("default");
    double[] scores = new double[3];

    profile.scorers().get(0).scorer().score(context(prompt, "p", 0), candidates, scores);

    assertThat(scores).containsExactly(0, 0, 0.5);
  }

  @Test
  void badReferencesAndUnsupportedParametersFailNamingTheField() {
    assertThatThrownBy(
            () ->
                load(
                    "- {type: prefix-cache-scorer, parameters: {prefixMatchInfoProducerName: nope}}",
                    "prefix-cache-scorer"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prefixMatchInfoProducerName")
        .hasMessageContaining("nope");
    assertThatThrownBy(
            () ->
                load(
                    """
        - {type: precise-prefix-cache-producer, parameters: {kvEventsConfig: {podDiscoveryConfig: {socketPort: 0}}}}
        """,
                    null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kvEventsConfig.podDiscoveryConfig.socketPort");
    assertThatThrownBy(
            () ->
                load(
                    """
        - {type: precise-prefix-cache-producer, parameters: {kvEventsConfig: {zmqEndpoint: "tcp://*:5557"}}}
        """,
                    null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("zmqEndpoint");
    assertThatThrownBy(
            () ->
                load(
                    "- {type: precise-prefix-cache-producer, parameters: {speculativeTTL: 2}}",
                    null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("speculativeTTL");
    assertThatThrownBy(() -> load("- {type: token-producer, parameters: {mode: local}}", null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tokenizerPath");
  }

  private static SchedulerConfig load(String plugins, String scorer) {
    String profile =
        scorer == null
            ? ""
            : """
        schedulingProfiles:
        - name: default
          plugins: [{pluginRef: %s}]
        """
                .formatted(scorer);
    return new EndpointPickerConfigLoader(PluginRegistry.builtIn())
        .load(
            """
        apiVersion: inference.networking.x-k8s.io/v1alpha1
        kind: EndpointPickerConfig
        plugins:
        %s
        %s"""
                .formatted(plugins.stripTrailing(), profile));
  }
}
