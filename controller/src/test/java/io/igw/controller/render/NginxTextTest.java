package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What NGINX's parser reads back is what was meant (the e2e NjsContractThroughNginxTest proves it
 * on NGINX).
 */
class NginxTextTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "team-a            | \"team-a\"",
        "``                | \"\"",
        "say \"hi\"        | \"say \\\"hi\\\"\"",
        "back\\slash       | \"back\\\\slash\"",
        "it's              | \"it's\"",
        "{ ; } #           | \"{ ; } #\""
      })
  void doubleQuotesWhatNginxWouldReadAsSyntax(String literal, String written) {
    assertThat(NginxText.quoted(literal)).isEqualTo(written);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {"{\"a\":\"it's\"}   | '{\"a\":\"it\\'s\"}'", "\\u0024           | '\\\\u0024'"})
  void singleQuotesEscapeTheQuoteAndBackslashes(String literal, String written) {
    assertThat(NginxText.singleQuoted(literal)).isEqualTo(written);
  }

  @ParameterizedTest
  @ValueSource(strings = {"$host", "a${b}", "line\nbreak", "tab\there", "nul\u0000", "del\u007f"})
  void refusesWhatNoQuotingCanWriteLiterally(String literal) {
    assertThatThrownBy(() -> NginxText.quoted(literal))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NginxText.singleQuoted(literal))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "igw_append_x_trace | igw  | \"${igw_append_x_trace}igw\"",
        "scheme             | ://h | \"$scheme://h\"",
        "request_uri        | /    | \"$request_uri/\""
      })
  void bracesAVariableOnlyWhenTheTextAfterItWouldLengthenItsName(
      String variable, String after, String written) {
    assertThat(NginxText.quotedString().variable(variable).literal(after).toString())
        .isEqualTo(written);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a;b", "a{", "a}", "\"a\"", "'a'", "$a", "a#b", "a\\b"})
  void aBareWordHoldsNoSyntax(String value) {
    assertThatThrownBy(() -> NginxText.word(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-tenant", "/v1/models", "*.example.com", "a_b.c~d"})
  void allowListedValuesAreBareWords(String value) {
    assertThat(NginxText.word(value)).isEqualTo(value);
  }
}
