package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.DataProducer;
import io.igw.picker.scheduling.Plugin;
import io.igw.picker.scheduling.PluginLifecycle;
import io.igw.picker.scheduling.SaturationDetector;
import io.igw.picker.scheduling.Scheduler;
import java.util.List;

/**
 * What an EndpointPickerConfig builds: the scheduler, the pool saturation detector, the flow
 * control settings (its {@code flowControl} section, or the defaults), whether its {@code
 * flowControl} feature gate is on, and every plugin it made, in config order (the data producers
 * that run before a cycle, the plugins the picker starts and stops).
 */
public record SchedulerConfig(
    Scheduler scheduler,
    SaturationDetector saturationDetector,
    FlowControlConfig flowControl,
    boolean flowControlEnabled,
    List<Plugin> plugins) {
  public SchedulerConfig {
    plugins = List.copyOf(plugins);
  }

  public SchedulerConfig(
      Scheduler scheduler,
      SaturationDetector saturationDetector,
      FlowControlConfig flowControl,
      boolean flowControlEnabled) {
    this(scheduler, saturationDetector, flowControl, flowControlEnabled, List.of());
  }

  public SchedulerConfig(Scheduler scheduler, SaturationDetector saturationDetector) {
    this(scheduler, saturationDetector, FlowControlConfig.DEFAULTS, false);
  }

  /** The data producers, in config order: they run one after the other before each cycle. */
  public List<DataProducer> producers() {
    return plugins.stream()
        .filter(DataProducer.class::isInstance)
        .map(DataProducer.class::cast)
        .toList();
  }

  /** The plugins that hold resources, started with the picker and stopped with it. */
  public List<PluginLifecycle> lifecycles() {
    return plugins.stream()
        .filter(PluginLifecycle.class::isInstance)
        .map(PluginLifecycle.class::cast)
        .toList();
  }
}
