package io.igw.picker.models;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A model id from a URI path, percent-decoded strictly: {@code %XX} is a byte, every other
 * character must be printable ASCII, and the bytes must be UTF-8. Ids may hold {@code /} ( {@code
 * meta-llama/Llama-3.1-8B-Instruct}, written as is or as {@code %2F}).
 */
final class ModelId {
  private ModelId() {}

  /** The id, or null when empty, malformed or longer than {@code maxBytes} once decoded. */
  static String decode(String raw, int maxBytes) {
    if (raw.isEmpty() || raw.length() > 3 * maxBytes) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (lo < 0) {
          return null;
        }
        bytes.put((byte) (hi * 16 + lo));
        i += 2;
      } else if (c > 0x20 && c < 0x7f) {
        bytes.put((byte) c);
      } else {
        return null;
      }
    }
    if (bytes.position() > maxBytes) {
      return null;
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
