package io.igw.picker.scheduling.config;

import io.igw.picker.flowcontrol.FlowControlConfig;
import io.igw.picker.scheduling.SaturationDetector;
import io.igw.picker.scheduling.Scheduler;

/**
 * What an EndpointPickerConfig builds: the scheduler, the pool saturation detector and, when the {@code flowControl}
 * feature gate is on, the flow control settings (null when off).
 */
public record SchedulerConfig(Scheduler scheduler, SaturationDetector saturationDetector,
    FlowControlConfig flowControl) {
  public SchedulerConfig(Scheduler scheduler, SaturationDetector saturationDetector) {
    this(scheduler, saturationDetector, null);
  }
}
