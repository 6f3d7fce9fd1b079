package io.igw.picker.extproc;

/**
 * The foreign EPP could not answer a pick (unreachable, too slow, reset the stream, answered
 * nonsense): the gateway applies the pool's FailOpen / FailClose. No stack trace.
 */
public final class EppUnavailable extends RuntimeException {
  public EppUnavailable(String message) {
    super(message, null, false, false);
  }
}
