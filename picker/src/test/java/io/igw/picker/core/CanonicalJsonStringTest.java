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

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void theEndBoundsTheSearch(int cut) {
    byte[] bytes = "\"abcd\"".getBytes(StandardCharsets.US_ASCII);
    assertThat(CanonicalJsonString.closingQuote(bytes, 0, bytes.length - cut)).isEqualTo(-1);
  }
}
