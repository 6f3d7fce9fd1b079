package io.igw.picker.scheduling.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.picker.scheduling.ConfigException;
import io.igw.picker.scheduling.SchedulingProfile;
import io.igw.picker.scheduling.plugins.MaxScorePicker;
import io.igw.picker.scheduling.plugins.PrefixCacheScorer;
import io.igw.picker.scheduling.plugins.UtilizationDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointPickerConfigLoaderTest {
  static final String HEAD =
      "apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\n";
  final EndpointPickerConfigLoader loader =
      new EndpointPickerConfigLoader(PluginRegistry.builtIn());

  @Test
  void loadsTheUpstreamExample() {
    SchedulerConfig config =
        loader.load(
            HEAD
                + """
        plugins:
        - {type: queue-scorer}
        - {type: kv-cache-utilization-scorer}
        - {type: prefix-cache-scorer, parameters: {blockSizeTokens: 16, maxPrefixBlocksToMatch: 256, lruCapacityPerServer: 31250}}
        - {type: lora-affinity-scorer}
        - {type: max-score-picker}
        schedulingProfiles:
        - name: default
          plugins: [{pluginRef: queue-scorer, weight: 2}, {pluginRef: kv-cache-utilization-scorer, weight: 2},
                    {pluginRef: prefix-cache-scorer, weight: 3}, {pluginRef: lora-affinity-scorer, weight: 1},
                    {pluginRef: max-score-picker}]
        """);
    SchedulingProfile profile = config.scheduler().profiles().get("default");
    assertThat(profile.scorers())
        .extracting(w -> w.scorer().typedName().type() + "=" + w.weight())
        .containsExactly(
            "queue-scorer=2.0",
            "kv-cache-utilization-scorer=2.0",
            "prefix-cache-scorer=3.0",
            "lora-affinity-scorer=1.0");
    assertThat(profile.picker()).isInstanceOf(MaxScorePicker.class);
    assertThat(config.saturationDetector()).isInstanceOf(UtilizationDetector.class);
  }

  @Test
  void defaultsNamesProfileAndPicker() {
    SchedulerConfig config =
        loader.load(
            HEAD
                + """
        plugins:
        - {type: prefix-cache-scorer, name: prefix}
        - {type: queue-scorer}
        """);
    SchedulingProfile profile = config.scheduler().profiles().get("default");
    assertThat(profile.scorers())
        .extracting(w -> w.scorer().typedName().name())
        .containsExactly("prefix", "queue-scorer");
    assertThat(profile.scorers().get(0).scorer()).isInstanceOf(PrefixCacheScorer.class);
    assertThat(profile.picker().typedName().type()).isEqualTo(MaxScorePicker.TYPE);
  }

  @Test
  void presetsLoad() {
    for (String preset : EndpointPickerConfigLoader.PRESETS) {
      assertThat(EndpointPickerConfigLoader.preset(preset).scheduler().profiles()).hasSize(1);
    }
    assertThatThrownBy(() -> EndpointPickerConfigLoader.preset("nope"))
        .hasMessageContaining("nope");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "plugins: [{type: nope-scorer}]                                                 | plugin nope-scorer: unknown type nope-scorer",
        "plugins: [{type: queue-scorer, parameters: {x: 1}}]                            | plugin queue-scorer: unknown parameter x",
        "plugins: [{type: prefix-cache-scorer, parameters: {blockSizeTokens: abc}}]     | plugin prefix-cache-scorer: parameter blockSizeTokens must be an integer",
        "plugins: [{type: prefix-cache-scorer, parameters: {blockSizeTokens: 0}}]       | parameter blockSizeTokens must be an integer from 1",
        "plugins: [{type: max-score-picker, name: p, parameters: {maxNumOfEndpoints: 1.5}}] | plugin p(max-score-picker): parameter maxNumOfEndpoints",
        "plugins: [{type: queue-scorer}, {type: queue-scorer}]                          | plugin queue-scorer: name used twice",
        "plugins: [{name: x}]                                                           | plugins[0]: type is required",
        "plugins: [{type: queue-scorer, weight: 2}]                                     | plugins[0]: unknown field weight",
        "plugins: [{type: queue-scorer}]\\nschedulingProfiles: [{name: a, plugins: [{pluginRef: kv}]}] | profile a: pluginRef kv: no plugin of that name",
        "plugins: [{type: max-score-picker}]\\nschedulingProfiles: [{name: a, plugins: [{pluginRef: max-score-picker, weight: 1}]}] | profile a: pluginRef max-score-picker: weight is only for scorers",
        "plugins: [{type: queue-scorer}]\\nschedulingProfiles: [{name: a, plugins: [{pluginRef: queue-scorer, weight: -1}]}] | weight must be a number",
        "plugins: [{type: queue-scorer}]\\nschedulingProfiles: [{name: a, plugins: []}, {name: b, plugins: []}] | needs exactly one scheduling profile, got 2",
        "plugins: [{type: queue-scorer}]\\nsaturationDetector: {pluginRef: queue-scorer}  | saturationDetector: pluginRef queue-scorer: not a saturation detector",
        "plugins: {type: queue-scorer}                                                  | config: plugins must be a list",
        "extra: 1                                                                       | config: unknown field extra",
        "plugins: [{type: [}                                                            | config: invalid YAML",
      })
  void badConfigsFailNamingPluginAndField(String body, String message) {
    assertThatThrownBy(() -> loader.load(HEAD + body.replace("\\n", "\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void wrongApiVersionOrKindFails() {
    assertThatThrownBy(() -> loader.load("apiVersion: v1\nkind: EndpointPickerConfig\n"))
        .hasMessageContaining("apiVersion");
    assertThatThrownBy(
            () -> loader.load("apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: Pod\n"))
        .hasMessageContaining("kind");
    assertThatThrownBy(() -> loader.load("- a\n- b\n")).hasMessageContaining("mapping");
  }
}
