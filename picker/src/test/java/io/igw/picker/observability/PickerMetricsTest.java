package io.igw.picker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.Datastore;
import org.junit.jupiter.api.Test;

class PickerMetricsTest {

  @Test
  void clientModelNamesCannotGrowTheLabelsWithoutBound() {
    PickerMetrics metrics = new PickerMetrics(new Datastore(), e -> true);
    for (int i = 0; i < 2 * PickerMetrics.MAX_MODEL_LABELS; i++) {
      metrics.recordPickError("random-" + i, "model_not_found");
    }
    assertThat(metrics.label("random-0")).isEqualTo("random-0");
    assertThat(metrics.label("brand-new")).isEqualTo(PickerMetrics.OTHER);
    assertThat(metrics.scrape().lines().filter(l -> l.startsWith("inference_objective_request_error_total")))
        .hasSize(PickerMetrics.MAX_MODEL_LABELS + 1);
  }
}
