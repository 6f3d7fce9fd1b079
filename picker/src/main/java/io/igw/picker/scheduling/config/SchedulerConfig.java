package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.SaturationDetector;
import io.igw.picker.scheduling.Scheduler;

/** What an EndpointPickerConfig builds: the scheduler and the pool saturation detector. */
public record SchedulerConfig(Scheduler scheduler, SaturationDetector saturationDetector) {}
