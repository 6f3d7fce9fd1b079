package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonStringTest {
  /** Whatever the encoder writes for a string is canonical, and ends where the encoder ended it. */
  @Property
  void everyStringTheEncoderWritesIsCanonical(@ForAll String value) {
    CompactJsonEncoder encoder = new CompactJsonEncoder();
    encoder.writeString(value);
    encoder.writeAscii("}x");
    byte[] bytes = encoder.toBytes();
    assertThat(CanonicalJsonString.closingQuote(bytes, 0, bytes.length))
        .isEqualTo(bytes.length - 3);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"plain text, with \\\"quotes\\\" and \\\\ \\n\\t\\r\\b\\f\"",
        "\"caf\u00e9 \u20ac \u65e5\u672c \u2028\"",
        "\"\\u0000\\u0007\\u001F \\uD83D\\uDE00 \\uDFFF\"",
        "\"\""
      })
  void canonicalStringsAreCopied(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(CanonicalJsonString.closingQuote(bytes, 0, bytes.length))
        .isEqualTo(bytes.length - 1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\\/\"", // the encoder writes a plain slash
        "\"\\u0041\"", // a printable character, written as itself
        "\"\\u000A\"", // has a short escape
        "\"\\u001f\"", // lower-case hex
        "\"\\ud83d\"",
        "\"\\u12\"",
        "\"\\x\"",
        "\"\uD83D\uDE00\"", // four bytes: the encoder writes two u-escapes
        "\"tab\tinside\"", // a raw control character is not JSON
        "\"no end",
        "\"ends in a backslash\\"
      })
  void otherStringsAreDecoded(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(CanonicalJsonString.closingQuote(bytes, 0, bytes.length)).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "22 c0 80 22", // overlong NUL
        "22 e0 80 80 22", // overlong three-byte form
        "22 ed a0 80 22", // an encoded surrogate
        "22 80 22", // a continuation byte alone
        "22 c3 22", // cut two-byte sequence
        "22 e2 82 22", // cut three-byte sequence
        "22 f0 9f 98 80 22", // four bytes
        "22 ff 22"
      })
  void malformedUtf8IsDecoded(String hex) {
    String[] parts = hex.split(" ");
    byte[] bytes = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    assertThat(CanonicalJsonString.closingQuote(bytes, 0, bytes.length)).isEqualTo(-1);
  }

  /** A byte that ends the plain run, at every place of an 8-byte word and across two words. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 7, 8, 9, 15, 16, 23})
  void everyPlaceOfAWordIsRead(int at) {
    String plain = "abcdefghijklmnopqrstuvwxyz";
    for (String inserted : new String[] {"\t", "\\/", "\u00e9", "\uD83D\uDE00", "\u007f"}) {
      String text = plain.substring(0, at) + inserted + plain.substring(at);
      byte[] bytes = ("\"" + text + "\" tail").getBytes(StandardCharsets.UTF_8);
      int expected =
          inserted.equals("\t") || inserted.equals("\\/") || inserted.startsWith("\uD83D")
              ? -1
              : 1 + text.getBytes(StandardCharsets.UTF_8).length;
      assertThat(CanonicalJsonString.closingQuote(bytes, 0, bytes.length))
          .as(text)
          .isEqualTo(expected);
    }
    byte[] quoted = ("\"" + plain.substring(0, at) + "\"" + plain).getBytes(StandardCharsets.UTF_8);
    assertThat(CanonicalJsonString.closingQuote(quoted, 0, quoted.length)).isEqualTo(at + 1);
  }

  /** A string without escapes: its bytes are its UTF-8, whatever the code points. */
  @Property
  void anUnescapedStringsBytesAreItsUtf8(@ForAll String value) {
    if (value.indexOf('"') >= 0
        || value.indexOf('\\') >= 0
        || value.chars().anyMatch(c -> c < 0x20)) {
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[utf8.length + 3];
    bytes[0] = '"';
    System.arraycopy(utf8, 0, bytes, 1, utf8.length);
    bytes[utf8.length + 1] = '"';
    bytes[utf8.length + 2] = '}';
    boolean wellFormed = new String(utf8, StandardCharsets.UTF_8).equals(value);
    assertThat(CanonicalJsonString.unescapedEnd(bytes, 0, bytes.length))
        .isEqualTo(wellFormed ? utf8.length + 1 : -1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "22 f0 9f 98 80 22:5", // an emoji: well formed
        "22 f4 8f bf bf 22:5", // U+10FFFF
        "22 f0 8f bf bf 22:-1", // overlong
        "22 f4 90 80 80 22:-1", // past U+10FFFF
        "22 f5 80 80 80 22:-1",
        "22 f0 9f 98 22:-1", // cut
        "22 ed a0 80 22:-1", // an encoded surrogate
        "22 5c 6e 22:-1", // an escape
        "22 61 22:2"
      })
  void unescapedStringsAreWellFormedUtf8(String hexAndEnd) {
    String[] parts = hexAndEnd.split(":")[0].split(" ");
    byte[] bytes = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    assertThat(CanonicalJsonString.unescapedEnd(bytes, 0, bytes.length))
        .isEqualTo(Integer.parseInt(hexAndEnd.split(":")[1]));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void theEndBoundsTheSearch(int cut) {
    byte[] bytes = "\"abcd\"".getBytes(StandardCharsets.US_ASCII);
    assertThat(CanonicalJsonString.closingQuote(bytes, 0, bytes.length - cut)).isEqualTo(-1);
  }
}
