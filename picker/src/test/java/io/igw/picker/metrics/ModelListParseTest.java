package io.igw.picker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.picker.datastore.ModelCard;
import io.igw.picker.datastore.ServedModels;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** An endpoint's {@code /v1/models} as vLLM writes it becomes the cards the gateway lists. */
class ModelListParseTest {
  @Test
  void keepsEachCardsFieldsAsVllmWritesThem() {
    ServedModels served =
        MetricsCollector.parseModels(
            Buffer.buffer(
                """
                {"object":"list","data":[
                 {"id":"llama","object":"model","created":1700000000,"owned_by":"vllm",
                  "root":"/models/llama","parent":null,"max_model_len":8192,"permission":[{}]},
                 {"id":"sql-lora","object":"model","created":1700000001,"owned_by":"vllm",
                  "root":"/adapters/sql","parent":"llama","max_model_len":null},
                 {"id":"llama","created":1,"root":"duplicate"}
                ]}"""),
            5);
    assertThat(served.ids()).containsExactlyInAnyOrder("llama", "sql-lora");
    assertThat(served.adapters()).containsExactly("sql-lora");
    assertThat(served.cards())
        .containsExactly(
            new ModelCard("llama", 1700000000, "vllm", "/models/llama", null, 8192L),
            new ModelCard("sql-lora", 1700000001, "vllm", "/adapters/sql", "llama", null));
    assertThat(served.fetchedAtMillis()).isEqualTo(5);
  }

  @Test
  void fieldsOfTheWrongTypeCountAsAbsentAndItemsWithoutAnIdAreSkipped() {
    ServedModels served =
        MetricsCollector.parseModels(
            Buffer.buffer(
                """
                {"data":[{"id":"m","created":"yesterday","owned_by":7,"root":[],"parent":{},
                          "max_model_len":-1},
                         {"id":3},{"name":"x"},"text",null]}"""),
            0);
    assertThat(served.cards())
        .containsExactly(new ModelCard("m", 0, ModelCard.UNKNOWN_OWNER, null, null, null));
    assertThatThrownBy(
            () -> MetricsCollector.parseModels(Buffer.buffer("{\"object\":\"list\"}"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
