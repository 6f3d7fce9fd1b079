package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.SaturationDetector;
import io.igw.picker.scheduling.Scheduler;

/**
 * What an EndpointPickerConfig builds: the scheduler, the pool saturation detector, the flow control settings (its
 * {@code flowControl} section, or the defaults) and whether its {@code flowControl} feature gate is on.
 */
public record SchedulerConfig(Scheduler scheduler, SaturationDetector saturationDetector,
    FlowControlConfig flowControl, boolean flowControlEnabled) {
  public SchedulerConfig(Scheduler scheduler, SaturationDetector saturationDetector) {
    this(scheduler, saturationDetector, FlowControlConfig.DEFAULTS, false);
  }
}
