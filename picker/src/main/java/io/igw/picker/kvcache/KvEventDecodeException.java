package io.igw.picker.kvcache;

/**
 * A payload that is not a KV event batch at all (not msgpack, truncated, not an array of the
 * batch's shape).
 */
public final class KvEventDecodeException extends Exception {
  public KvEventDecodeException(String message) {
    super(message);
  }

  public KvEventDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
