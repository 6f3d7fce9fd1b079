package io.igw.controller.model;

/**
 * How a pool's picks are served: by igw's picker itself ({@code IN_PROCESS}), by the picker
 * forwarding them over ext_proc to the foreign EPP the pool's endpointPickerRef names ({@code
 * BRIDGE}), or not at all because that reference (or the pool) is invalid ({@code UNAVAILABLE}:
 * FailOpen / FailClose decide).
 */
public enum PickerMode {
  IN_PROCESS,
  BRIDGE,
  UNAVAILABLE;

  public static PickerMode of(boolean available, boolean foreignEpp) {
    return !available ? UNAVAILABLE : foreignEpp ? BRIDGE : IN_PROCESS;
  }
}
