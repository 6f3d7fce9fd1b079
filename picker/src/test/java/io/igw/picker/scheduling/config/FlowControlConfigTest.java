package io.igw.picker.scheduling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.picker.scheduling.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code flowControl} section of an EndpointPickerConfig and its feature gate. */
class FlowControlConfigTest {
  static final String HEAD =
      EndpointPickerConfigLoaderTest.HEAD + "plugins: [{type: queue-scorer}]\n";
  final EndpointPickerConfigLoader loader =
      new EndpointPickerConfigLoader(PluginRegistry.builtIn());

  FlowControlConfig load(String yaml) {
    return loader.load(HEAD + yaml).flowControl();
  }

  boolean enabled(String yaml) {
    return loader.load(HEAD + yaml).flowControlEnabled();
  }

  @Test
  void offWithoutTheFeatureGate() {
    assertThat(enabled("")).isFalse();
    assertThat(load("")).isEqualTo(FlowControlConfig.DEFAULTS);
    assertThat(enabled("flowControl: {defaultRequestTTL: 2s}\n")).isFalse();
    assertThat(load("flowControl: {defaultRequestTTL: 2s}\n").requestTtlMillis()).isEqualTo(2000);
    assertThat(enabled("featureGates: [flowControl, flowControl=false]\n")).isFalse();
    assertThat(EndpointPickerConfigLoader.preset("default").flowControlEnabled()).isFalse();
  }

  @Test
  void theGateAloneGivesTheDefaults() {
    assertThat(enabled("featureGates: [flowControl]\n")).isTrue();
    assertThat(load("featureGates: [flowControl]\n")).isEqualTo(FlowControlConfig.DEFAULTS);
    assertThat(load("featureGates: [dataLayer, flowControl=true]\n"))
        .isEqualTo(FlowControlConfig.DEFAULTS);
  }

  @Test
  void readsTheReferenceShapeWithMaxRequests() {
    FlowControlConfig config =
        load(
            """
        featureGates: [flowControl]
        flowControl:
          maxBytes: 2Gi
          defaultRequestTTL: 1m30s
          defaultPriorityBand: {maxBytes: 500M, maxRequests: 50}
          priorityBands:
          - priority: 100
            maxBytes: 1048576
            maxRequests: 200
            orderingPolicyRef: fcfs-ordering-policy
          - priority: -1
            maxRequests: 0
        """);
    assertThat(config.maxBytes()).isEqualTo(2L << 30);
    assertThat(config.requestTtlMillis()).isEqualTo(90_000);
    assertThat(config.defaultBand()).isEqualTo(new BandLimits(500_000_000, 50));
    assertThat(config.limits(100)).isEqualTo(new BandLimits(1 << 20, 200));
    assertThat(config.limits(-1)).isEqualTo(new BandLimits(BandLimits.DEFAULT_MAX_BYTES, 0));
    assertThat(config.limits(7)).isEqualTo(config.defaultBand());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "flowControl: {defaultRequestTTL: 0s}                      | flowControl: defaultRequestTTL must be between 1ms and 1h",
        "flowControl: {defaultRequestTTL: 2h}                      | flowControl: defaultRequestTTL must be between 1ms and 1h",
        "flowControl: {defaultRequestTTL: -1s}                     | flowControl: defaultRequestTTL must be a duration",
        "flowControl: {defaultRequestTTL: 5}                       | flowControl: defaultRequestTTL must be a duration",
        "flowControl: {defaultRequestTTL: 5 parsecs}               | flowControl: defaultRequestTTL must be a duration",
        "flowControl: {defaultRequestTTL: 99999999999999999999h}   | flowControl: defaultRequestTTL must be a duration",
        "flowControl: {maxBytes: -1}                               | flowControl: maxBytes must be between 0 and",
        "flowControl: {maxBytes: 1Ei}                              | flowControl: maxBytes must be a byte quantity",
        "flowControl: {maxBytes: 65Gi}                             | flowControl: maxBytes must be a whole number of bytes ≤ 64Gi",
        "flowControl: {maxBytes: 0.5}                              | flowControl: maxBytes must be an integer",
        "flowControl: {maxBytes: '1.0000001Ki'}                    | flowControl: maxBytes must be a whole number",
        "flowControl: {maxBytes: 99999999999999999999999999}       | flowControl: maxBytes must be between 0 and",
        "flowControl: {maxBytes: [1]}                              | flowControl: maxBytes must be a byte quantity",
        "flowControl: {queueSize: 1}                               | flowControl: unknown field queueSize",
        "flowControl: [1]                                          | flowControl: must be a mapping",
        "flowControl: {priorityBands: [{maxBytes: 1Mi}]}           | flowControl.priorityBands[0]: priority is required",
        "flowControl: {priorityBands: [{priority: 1}, {priority: 1}]} | flowControl.priorityBands[1]: priority 1 is configured twice",
        "flowControl: {priorityBands: [{priority: 3000000000}]}    | flowControl.priorityBands[0]: priority must be between",
        "flowControl: {priorityBands: [{priority: high}]}          | flowControl.priorityBands[0]: priority must be an integer",
        "flowControl: {priorityBands: [{priority: 1, maxRequests: -1}]}     | flowControl.priorityBands[0]: maxRequests must be between 0 and 1000000",
        "flowControl: {priorityBands: [{priority: 1, maxRequests: 2000000}]} | flowControl.priorityBands[0]: maxRequests must be between 0 and 1000000",
        "flowControl: {priorityBands: [{priority: 1, fairnessPolicyRef: round-robin}]} | flowControl.priorityBands[0]: fairnessPolicyRef round-robin is not supported",
        "flowControl: {defaultPriorityBand: {priority: 1}}         | flowControl.defaultPriorityBand: unknown field priority",
        "flowControl: {priorityBands: 3}                           | flowControl: priorityBands must be a list",
      })
  void absurdValuesFailNamingTheField(String yaml, String message) {
    assertThatThrownBy(() -> load("featureGates: [flowControl]\n" + yaml + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message.trim());
  }

  @Test
  void aBadSectionFailsEvenWithTheGateOff() {
    assertThatThrownBy(() -> load("flowControl: {maxBytes: lots}\n"))
        .hasMessageContaining("flowControl: maxBytes");
  }

  @Test
  void featureGatesMustBeStrings() {
    assertThatThrownBy(() -> load("featureGates: [1]\n")).hasMessageContaining("featureGates[0]");
  }

  @Test
  void tooManyBandsFail() {
    StringBuilder yaml =
        new StringBuilder("featureGates: [flowControl]\nflowControl:\n  priorityBands:\n");
    for (int i = 0; i <= FlowControlConfigReader.MAX_BANDS; i++) {
      yaml.append("  - {priority: ").append(i).append("}\n");
    }
    assertThatThrownBy(() -> load(yaml.toString())).hasMessageContaining("at most 1000 bands");
  }
}
