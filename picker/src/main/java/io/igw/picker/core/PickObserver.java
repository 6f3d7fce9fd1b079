package io.igw.picker.core;

import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;

/** Told of every scheduled pick, with what its scheduling cycle found (the picker's metrics). Must not block. */
@FunctionalInterface
public interface PickObserver {
  PickObserver NONE = (context, result) -> { };

  void scheduled(SchedulingContext context, ProfileResult result);
}
