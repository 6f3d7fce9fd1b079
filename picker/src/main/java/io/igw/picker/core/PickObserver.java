package io.igw.picker.core;

/**
 * Told of every pick the core answers, and of the requests a frontend refused before they became
 * picks (a body too large, no pool): the picker's request, error and prefix-index metrics. Must not
 * block.
 */
public interface PickObserver {
  PickObserver NONE =
      new PickObserver() {
        @Override
        public void picked(String model, PickResult result) {}

        @Override
        public void refused(String model, PickFailure failure) {}
      };

  /** {@code model}: the body's, or null. */
  void picked(String model, PickResult result);

  /**
   * {@code model}: the body's, or null (bodyless, or refused before its body was read or checked).
   */
  void refused(String model, PickFailure failure);
}
