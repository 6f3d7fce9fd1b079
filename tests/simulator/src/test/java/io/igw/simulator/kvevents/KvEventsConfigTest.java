package io.igw.simulator.kvevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KvEventsConfigTest {

  @Test
  void vllmsDefaultsFillWhatTheJsonLeavesOut() {
    KvEventsConfig config = KvEventsConfig.parse("{\"enable_kv_cache_events\":true}");

    assertThat(config.publishes()).isTrue();
    assertThat(config.endpoint()).isEqualTo("tcp://*:5557");
    assertThat(config.replayEndpoint()).isNull();
    assertThat(config.bufferSteps()).isEqualTo(10_000);
    assertThat(config.hwm()).isEqualTo(100_000);
    assertThat(config.maxQueueSize()).isEqualTo(100_000);
    assertThat(config.topic()).isEmpty();
  }

  @Test
  void theNullPublisherOrNoEnableFlagPublishesNothing() {
    assertThat(
            KvEventsConfig.parse("{\"enable_kv_cache_events\":true,\"publisher\":\"null\"}")
                .publishes())
        .isFalse();
    assertThat(KvEventsConfig.parse("{\"publisher\":\"zmq\"}").publishes()).isFalse();
  }

  @Test
  void unknownFieldsWrongTypesAndUnknownPublishersAreRefused() {
    assertThatThrownBy(() -> KvEventsConfig.parse("{\"enable_kv_cache_event\":true}"))
        .hasMessageContaining("enable_kv_cache_event");
    assertThatThrownBy(() -> KvEventsConfig.parse("{\"hwm\":\"many\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KvEventsConfig.parse("{\"publisher\":\"kafka\"}"))
        .hasMessageContaining("kafka");
    assertThatThrownBy(() -> KvEventsConfig.parse("not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "tcp://*:5557, true",
    "tcp://127.0.0.1:*, true",
    "tcp://[::]:5557, true",
    "ipc:///tmp/kv, true",
    "tcp://10.0.0.5:5557, false"
  })
  void bindsOnAWildcardOrALocalTransportAndConnectsOtherwise(String endpoint, boolean binds) {
    assertThat(KvEventsConfig.binds(endpoint)).isEqualTo(binds);
  }

  @ParameterizedTest
  @CsvSource({
    "tcp://*:5557, 127.0.0.12, tcp://127.0.0.12:5557",
    "tcp://*:5557, 0.0.0.0, tcp://*:5557",
    "tcp://127.0.0.1:*, 127.0.0.12, tcp://127.0.0.1:*",
    "tcp://*:*, ::1, tcp://[::1]:*"
  })
  void aWildcardHostIsTheServersOwnAddress(String endpoint, String host, String bound) {
    assertThat(ZmqEventPublisher.localized(endpoint, host)).isEqualTo(bound);
  }
}
