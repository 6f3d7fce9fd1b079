package io.igw.picker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.core.Director;
import io.igw.picker.core.ObservedPickService;
import io.igw.picker.core.PickBody;
import io.igw.picker.core.PickOptions;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickService;
import io.igw.picker.core.RandomSource;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.PoolPolicies;
import io.igw.picker.datastore.PoolResolver;
import io.igw.picker.datastore.ServedModels;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.MetricsText;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PickerMetricsTest {
  static final long NOW = 1_000_000;
  static final String HIT_RATIO = "inference_extension_prefix_indexer_hit_ratio";

  @Test
  void onlyModelsAPoolServesBecomeLabels() {
    Datastore datastore = new Datastore();
    datastore.replaceAll(
        PoolResolver.resolve(
            Manifests.read(
                Manifests.pool("p", 8000) + Manifests.pod("a", "p", "127.0.10.1", true))));
    datastore
        .pools()
        .get(0)
        .endpoints()
        .get(0)
        .recordModels(
            new ServedModels(Set.of("base", "lora-1"), Set.of("lora-1"), java.util.List.of(), NOW));
    datastore.replacePolicies(
        Map.of(
            new PoolName("default", "p"),
            new PoolPolicies(
                Map.of(),
                Map.of(),
                List.of(
                    new PoolPolicies.RewriteRule(
                        List.of("alias"),
                        List.of(new PoolPolicies.WeightedTarget("canary", 1)))))));
    PickerMetrics metrics = new PickerMetrics(datastore, e -> true);
    for (String served : List.of("base", "lora-1", "alias", "canary")) {
      assertThat(metrics.label(served)).isEqualTo(served);
    }
    for (String hostile : List.of("made-up", "evil\"} 1\nx{a=\"", "", "base ", "BASE")) {
      assertThat(metrics.label(hostile)).isEqualTo(PickerMetrics.OTHER);
    }
    assertThat(metrics.label(null)).isEmpty();
  }

  @Test
  void clientModelNamesCannotGrowTheLabels() {
    PickerMetrics metrics = new PickerMetrics(new Datastore(), e -> true);
    for (int i = 0; i < 2 * PickerMetrics.MAX_MODEL_LABELS; i++) {
      metrics.recordPickError("random-" + i, "model_not_found");
      metrics.recordPick("random-" + i, "random-" + i);
    }
    assertThat(
            metrics
                .scrape()
                .lines()
                .filter(l -> l.startsWith("inference_objective_request_error_total")))
        .containsExactly(
            "inference_objective_request_error_total{error_code=\"model_not_found\",model_name=\"other\","
                + "target_model_name=\"\"} "
                + (2.0 * PickerMetrics.MAX_MODEL_LABELS));
    assertThat(
            metrics.scrape().lines().filter(l -> l.startsWith("inference_objective_request_total")))
        .containsExactly(
            "inference_objective_request_total{model_name=\"other\",target_model_name=\"other\"} "
                + (2.0 * PickerMetrics.MAX_MODEL_LABELS));
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "default"})
  void prefixHitRatioIsZeroOnAPromptsFirstPickAndOneOnItsRepeat(String preset) {
    Datastore datastore = new Datastore();
    datastore.replaceAll(
        PoolResolver.resolve(
            Manifests.read(
                Manifests.pool("p", 8000)
                    + Manifests.pod("a", "p", "127.0.10.1", true)
                    + Manifests.pod("b", "p", "127.0.10.2", true))));
    PickerMetrics metrics = new PickerMetrics(datastore, e -> true);
    PickService director =
        new ObservedPickService(
            new Director(
                datastore,
                EndpointPickerConfigLoader.preset(preset),
                new InFlightTracker(60_000),
                new PickOptions()
                    .setClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                    .setRandom(RandomSource.of(new SplittableRandom(1)))),
            metrics);
    JsonObject body =
        new JsonObject()
            .put("model", "m")
            .put("prompt", "You are a careful assistant. ".repeat(100));

    pick(director, datastore, body);
    assertThat(MetricsText.value(metrics.scrape(), HIT_RATIO + "_count", Map.of())).isEqualTo(1);
    assertThat(MetricsText.value(metrics.scrape(), HIT_RATIO + "_sum", Map.of())).isZero();
    assertThat(
            MetricsText.value(
                metrics.scrape(), "inference_extension_prefix_indexer_size", Map.of()))
        .isEqualTo(46); // 2900 B

    pick(director, datastore, body);
    String scrape = metrics.scrape();
    assertThat(MetricsText.value(scrape, HIT_RATIO + "_count", Map.of())).isEqualTo(2);
    assertThat(MetricsText.value(scrape, HIT_RATIO + "_sum", Map.of())).isEqualTo(1.0);
    assertThat(MetricsText.value(scrape, HIT_RATIO + "_bucket", Map.of("le", "0.0"))).isEqualTo(1);
    assertThat(MetricsText.value(scrape, HIT_RATIO + "_bucket", Map.of("le", "0.9"))).isEqualTo(1);
    assertThat(MetricsText.value(scrape, HIT_RATIO + "_bucket", Map.of("le", "1.0"))).isEqualTo(2);
    assertThat(
            MetricsText.value(scrape, "inference_extension_prefix_indexer_hit_bytes_sum", Map.of()))
        .isEqualTo(46 * 64);
  }

  /** Both endpoints freshly scraped, idle, cache geometry as vLLM's default (16-token blocks). */
  static void pick(PickService director, Datastore datastore, JsonObject body) {
    for (EndpointState e : datastore.pool(new PoolName("default", "p")).endpoints()) {
      e.recordScrape(
          new MetricsSnapshot(0, 0, 0.1, Set.of(), Set.of(), 0, 16, 10_000, NOW, 0),
          e.picksIssued());
    }
    assertThat(
            director
                .pick(
                    new PickRequest(
                        new PoolName("default", "p"),
                        "/v1/completions",
                        "POST",
                        PickBody.of(body),
                        MultiMap.caseInsensitiveMultiMap(),
                        "r",
                        null))
                .succeeded())
        .isTrue();
  }
}
