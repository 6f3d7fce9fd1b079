package io.igw.simulator.http;

import io.igw.simulator.engine.EngineProfile;
import io.igw.simulator.engine.RealTimeEngine;
import io.igw.simulator.faults.FaultInjector;
import io.igw.simulator.metrics.MetricsFormat;
import io.igw.simulator.options.SimulatorOptions;
import io.igw.simulator.tokens.PromptRenderer;

/**
 * What one server's handlers share and the admin endpoint changes; lives on the server's context.
 */
final class ServerState {

  final SimulatorOptions options;
  final RealTimeEngine engine;
  final FaultInjector faults;
  ServedModels served;
  MetricsFormat metricsFormat;

  /**
   * The model's tokenizer and chat template: the profile's, or the options' tokenizer.json with its
   * template.
   */
  PromptRenderer renderer;

  String name;

  ServerState(
      SimulatorOptions options,
      RealTimeEngine engine,
      FaultInjector faults,
      ServedModels served,
      MetricsFormat metricsFormat) {
    this.options = options;
    this.engine = engine;
    this.faults = faults;
    this.served = served;
    this.metricsFormat = metricsFormat;
    this.renderer = renderer(engine.config().profile(), options.getTokenizer());
  }

  static PromptRenderer renderer(EngineProfile profile, String tokenizerJson) {
    return PromptRenderer.of(profile.encoding(), profile.chatTemplate(), tokenizerJson);
  }
}
