package io.igw.picker.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The compact JSON of a parsed body's value, byte for byte what Vert.x's codec writes ({@code
 * toBuffer()}, Jackson's UTF-8 generator): no whitespace, keys in insertion order; {@code "} and
 * {@code \} escaped, control characters as {@code \b \t \n \f \r} or a six-byte u-escape, every
 * surrogate as a u-escape of its own (an emoji as two, as Jackson does), everything else as UTF-8.
 * It exists because Jackson's generator costs ~13 µs and ~15 KB per 4 KB chat prompt; this writes
 * into a per-thread buffer. A value it does not know (a float, a big decimal, a binary) makes
 * {@link #encode} return null: the caller falls back to the codec. The streaming scanner ({@link
 * JsonBodyScanner}) writes through the same methods, token by token, with an instance of its own.
 */
final class CompactJsonEncoder {
  /** Scratch kept per thread up to this size; a larger one (a huge prompt) is dropped after use. */
  static final int RETAINED_BYTES = 256 * 1024;

  private static final int CHUNK_CHARS = 1024;

  /** The most bytes one char can take: a u-escape. */
  private static final int MAX_BYTES_PER_CHAR = 6;

  private static final byte[] HEX =
      "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** For ASCII: 0 written as is, else the escape letter ({@code 'u'} for a u-escape). */
  private static final byte[] ESCAPES = new byte[128];

  private static final ThreadLocal<CompactJsonEncoder> PER_THREAD =
      ThreadLocal.withInitial(CompactJsonEncoder::new);

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = 'u';
    }
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
  }

  private final char[] chars = new char[CHUNK_CHARS];
  private byte[] out = new byte[8 * 1024];
  private int length;

  CompactJsonEncoder() {}

  /** Starts a new value in this encoder's scratch. */
  void reset() {
    length = 0;
  }

  /** What was written since {@link #reset}; drops a scratch grown past {@link #RETAINED_BYTES}. */
  byte[] toBytes() {
    byte[] bytes = Arrays.copyOf(out, length);
    if (out.length > RETAINED_BYTES) {
      out = new byte[8 * 1024];
    }
    return bytes;
  }

  /**
   * Whether what was written since {@link #reset} is exactly the {@code count} bytes of {@code
   * bytes} from {@code offset} (then nothing need be copied: the caller keeps those); drops a
   * scratch grown past {@link #RETAINED_BYTES} when it is, as {@link #toBytes} does.
   */
  boolean writtenEquals(byte[] bytes, int offset, int count) {
    if (count != length || !Arrays.equals(out, 0, length, bytes, offset, offset + count)) {
      return false;
    }
    if (out.length > RETAINED_BYTES) {
      out = new byte[8 * 1024];
    }
    return true;
  }

  /** The UTF-8 JSON of {@code value}, or null when it holds a value this encoder does not write. */
  static byte[] encode(Object value) {
    CompactJsonEncoder encoder = PER_THREAD.get();
    encoder.length = 0;
    try {
      return encoder.write(value) ? Arrays.copyOf(encoder.out, encoder.length) : null;
    } finally {
      if (encoder.out.length > RETAINED_BYTES) {
        encoder.out = new byte[8 * 1024];
      }
    }
  }

  private boolean write(Object value) {
    if (value instanceof String s) {
      writeString(s);
    } else if (value instanceof JsonObject object) {
      return writeObject(object.getMap());
    } else if (value
        instanceof Map<?, ?> map) { // parsed bodies hold plain maps and lists below the top
      return writeObject(map);
    } else if (value instanceof JsonArray array) {
      return writeArray(array.getList());
    } else if (value instanceof List<?> list) {
      return writeArray(list);
    } else if (value == null) {
      writeAscii("null");
    } else if (value instanceof Boolean b) {
      writeAscii(b ? "true" : "false");
    } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      writeAscii(value.toString());
    } else {
      return false;
    }
    return true;
  }

  private boolean writeObject(Map<?, ?> map) {
    writeByte('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        return false;
      }
      if (!first) {
        writeByte(',');
      }
      first = false;
      writeString(key);
      writeByte(':');
      if (!write(entry.getValue())) {
        return false;
      }
    }
    writeByte('}');
    return true;
  }

  private boolean writeArray(List<?> list) {
    writeByte('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        writeByte(',');
      }
      if (!write(list.get(i))) {
        return false;
      }
    }
    writeByte(']');
    return true;
  }

  void writeString(String s) {
    writeByte('"');
    int n = s.length();
    for (int start = 0; start < n; start += CHUNK_CHARS) {
      int end = Math.min(n, start + CHUNK_CHARS);
      s.getChars(start, end, chars, 0);
      writeChars(chars, 0, end - start);
    }
    writeByte('"');
  }

  /** A string's characters, quoted and escaped. */
  void writeString(char[] text, int offset, int count) {
    writeByte('"');
    for (int start = 0; start < count; start += CHUNK_CHARS) {
      writeChars(text, offset + start, Math.min(CHUNK_CHARS, count - start));
    }
    writeByte('"');
  }

  private void writeChars(char[] text, int offset, int count) {
    ensure(count * MAX_BYTES_PER_CHAR);
    byte[] b = out;
    int pos = length;
    for (int i = offset; i < offset + count; i++) {
      char c = text[i];
      if (c < 0x80) {
        byte escape = ESCAPES[c];
        if (escape == 0) {
          b[pos++] = (byte) c;
        } else if (escape == 'u') {
          pos = writeUnicodeEscape(b, pos, c);
        } else {
          b[pos++] = '\\';
          b[pos++] = escape;
        }
      } else if (c < 0x800) {
        b[pos++] = (byte) (0xc0 | (c >> 6));
        b[pos++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        pos = writeUnicodeEscape(b, pos, c);
      } else {
        b[pos++] = (byte) (0xe0 | (c >> 12));
        b[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[pos++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    length = pos;
  }

  private static int writeUnicodeEscape(byte[] b, int pos, char c) {
    b[pos++] = '\\';
    b[pos++] = 'u';
    b[pos++] = HEX[(c >> 12) & 0xf];
    b[pos++] = HEX[(c >> 8) & 0xf];
    b[pos++] = HEX[(c >> 4) & 0xf];
    b[pos++] = HEX[c & 0xf];
    return pos;
  }

  /** Bytes already in this encoder's form (a canonical string from the body), as they are. */
  void writeRaw(byte[] bytes, int offset, int count) {
    ensure(count);
    System.arraycopy(bytes, offset, out, length, count);
    length += count;
  }

  void writeAscii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      out[length++] = (byte) s.charAt(i);
    }
  }

  void writeByte(char c) {
    ensure(1);
    out[length++] = (byte) c;
  }

  /**
   * Room for {@code more} bytes, growing to a power of two: an exact fit for a large raw string
   * would be doubled again by the next byte, past {@link #RETAINED_BYTES}, and dropped after every
   * pick.
   */
  private void ensure(int more) {
    int needed = length + more;
    if (needed > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, Integer.highestOneBit(needed - 1) << 1));
    }
  }
}
