package io.igw.picker.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether a JSON string's bytes are already what {@link CompactJsonEncoder#writeString} writes for
 * its value, so the scan can copy them instead of decoding and encoding them again (a 220 KB prompt
 * costs ~4x less that way). Canonical: UTF-8 of one to three bytes, well formed (no overlong form,
 * no encoded surrogate); the escapes {@code \" \\ \b \f \n \r \t}; a u-escape only for a control
 * character without a short escape or for a surrogate, with upper-case hex digits. Anything else (a
 * four-byte sequence, which the encoder writes as two u-escapes; {@code \/}; a u-escape of a
 * printable character; lower-case hex; a raw control character, which is not JSON) is not, and the
 * caller decodes the string as before.
 */
final class CanonicalJsonString {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;

  private CanonicalJsonString() {}

  /**
   * The index of the closing quote of the string whose opening quote is at {@code start}, when the
   * string is canonical and ends before {@code end}; -1 otherwise.
   */
  static int closingQuote(byte[] b, int start, int end) {
    return stringEnd(b, start, end, true);
  }

  /**
   * The index of the closing quote of the string whose opening quote is at {@code start}, when the
   * string holds no escape and is well-formed UTF-8 (four-byte sequences too), so its bytes are its
   * value's UTF-8; -1 otherwise.
   */
  static int unescapedEnd(byte[] b, int start, int end) {
    return stringEnd(b, start, end, false);
  }

  /**
   * The one scan behind both: {@code canonical} allows the canonical escapes and refuses four-byte
   * sequences (the encoder writes their two surrogates as u-escapes); otherwise no escape is
   * allowed and four-byte sequences are.
   */
  private static int stringEnd(byte[] b, int start, int end, boolean canonical) {
    int i = start + 1;
    while (i < end) {
      // eight plain bytes at a time (printable ASCII other than the quote and the backslash): most
      // of a prompt
      if (i + Long.BYTES <= end && plain((long) LONGS.get(b, i))) {
        i += Long.BYTES;
        continue;
      }
      int c = b[i] & 0xff;
      if (c == '"') {
        return i;
      }
      int length;
      if (c == '\\') {
        length = canonical ? canonicalEscape(b, i, end) : -1;
      } else if (c < 0x20) {
        length = -1;
      } else if (c < 0x80) {
        length = 1;
      } else if (c < 0xf0) {
        length = wellFormedUpToThree(b, i, end);
      } else {
        length = canonical ? -1 : wellFormedFour(b, i, end);
      }
      if (length < 0) {
        return -1;
      }
      i += length;
    }
    return -1;
  }

  /** The length of the well-formed one- to three-byte sequence at {@code i} (c ≥ 0x80), or -1. */
  private static int wellFormedUpToThree(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    if (c >= 0xc2 && c <= 0xdf) {
      return i + 1 < end && continuation(b[i + 1]) ? 2 : -1;
    }
    if (c >= 0xe0 && c <= 0xef) {
      if (i + 2 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
        return -1;
      }
      int second = b[i + 1] & 0xff;
      // E0 80..9F is an overlong form, ED A0..BF an encoded surrogate
      return c == 0xe0 && second < 0xa0 || c == 0xed && second >= 0xa0 ? -1 : 3;
    }
    return -1;
  }

  /** The length of the well-formed four-byte sequence at {@code i}, or -1. */
  private static int wellFormedFour(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    if (c > 0xf4 || i + 3 >= end) {
      return -1;
    }
    if (!continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
      return -1;
    }
    int second = b[i + 1] & 0xff;
    // F0 80..8F is an overlong form, F4 90.. past U+10FFFF
    return c == 0xf0 && second < 0x90 || c == 0xf4 && second >= 0x90 ? -1 : 4;
  }

  /** The length of the canonical escape at {@code i} (its backslash), or -1. */
  private static int canonicalEscape(byte[] b, int i, int end) {
    if (i + 1 >= end) {
      return -1;
    }
    switch (b[i + 1]) {
      case '"', '\\', 'b', 'f', 'n', 'r', 't' -> {
        return 2;
      }
      case 'u' -> {
        if (i + 5 >= end) {
          return -1;
        }
        int value = 0;
        for (int k = 2; k < 6; k++) {
          int digit = upperHex(b[i + k]);
          if (digit < 0) {
            return -1;
          }
          value = value << 4 | digit;
        }
        boolean control =
            value < 0x20
                && value != '\b'
                && value != '\t'
                && value != '\n'
                && value != '\f'
                && value != '\r';
        return control || Character.isSurrogate((char) value) ? 6 : -1;
      }
      default -> {
        return -1;
      }
    }
  }

  /** No byte of {@code w} is below 0x20, at or above 0x80, a quote or a backslash. */
  private static boolean plain(long w) {
    long control = (w - 0x20 * ONES) & ~w;
    long quote = w ^ ('"' * ONES);
    long backslash = w ^ ('\\' * ONES);
    return ((w | control | ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash)) & HIGH)
        == 0;
  }

  private static boolean continuation(byte b) {
    return (b & 0xc0) == 0x80;
  }

  private static int upperHex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
  }
}
