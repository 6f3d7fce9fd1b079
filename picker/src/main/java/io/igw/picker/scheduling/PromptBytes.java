package io.igw.picker.scheduling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The UTF-8 that prefix caching hashes, as a range of an array: often the request body's own bytes
 * (a client's compact {@code messages}, or a prompt string with no escape, already are what would
 * be hashed), so a pick does not copy its prompt. Nothing may write into the array: it is the body
 * as received, read by the frontend and the scorers while the request lives.
 */
public final class PromptBytes {
  public static final PromptBytes EMPTY = new PromptBytes(new byte[0], 0, 0);

  private final byte[] array;
  private final int offset;
  private final int length;

  private PromptBytes(byte[] array, int offset, int length) {
    this.array = array;
    this.offset = offset;
    this.length = length;
  }

  /** The whole of {@code bytes} (not copied). */
  public static PromptBytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new PromptBytes(bytes, 0, bytes.length);
  }

  /** {@code length} bytes of {@code array} from {@code offset} (not copied). */
  public static PromptBytes of(byte[] array, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, array.length);
    return length == 0 ? EMPTY : new PromptBytes(array, offset, length);
  }

  /** The UTF-8 of {@code text}. */
  public static PromptBytes utf8(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The array the bytes are in (shared: read, never write). */
  public byte[] array() {
    return array;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  public boolean isEmpty() {
    return length == 0;
  }

  /** The byte at {@code index} (0 to {@code length() - 1}). */
  public byte byteAt(int index) {
    java.util.Objects.checkIndex(index, length);
    return array[offset + index];
  }

  /** The first {@code max} bytes, or all when there are fewer (not copied). */
  public PromptBytes prefix(int max) {
    return length <= max ? this : new PromptBytes(array, offset, max);
  }

  /** These bytes followed by {@code tail}'s, in a new array. */
  public PromptBytes concat(PromptBytes tail) {
    if (tail.isEmpty()) {
      return this;
    }
    byte[] joined = Arrays.copyOfRange(array, offset, offset + length + tail.length);
    System.arraycopy(tail.array, tail.offset, joined, length, tail.length);
    return new PromptBytes(joined, 0, joined.length);
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** The bytes decoded as UTF-8. */
  public String text() {
    return new String(array, offset, length, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PromptBytes that
        && Arrays.equals(
            array, offset, offset + length, that.array, that.offset, that.offset + that.length);
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + array[i];
    }
    return hash;
  }

  /** The length only: a prompt may be megabytes of a client's text. */
  @Override
  public String toString() {
    return "PromptBytes[length=" + length + "]";
  }
}
