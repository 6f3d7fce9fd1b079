package io.igw.controller.model;

/**
 * What a pool's requests get when its endpoint picker cannot answer: its fallback upstream, or a
 * 503.
 */
public enum FailureMode {
  FAIL_OPEN,
  FAIL_CLOSE;

  public static FailureMode of(boolean failOpen) {
    return failOpen ? FAIL_OPEN : FAIL_CLOSE;
  }
}
