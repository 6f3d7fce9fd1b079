package io.igw.controller.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowListValidatorTest {
  private final AllowListValidator validator = new AllowListValidator();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "path     | /v1/chat/completions | true",
        "path     | /                    | true",
        "path     | v1                   | false",
        "path     | '/a b'               | false",
        "path     | /a;b                 | false",
        "path     | /a{b}                | false",
        "path     | /$uri                | false",
        "path     | /a//b                | false",
        "hostname | api.example.com      | true",
        "hostname | *.example.com        | true",
        "hostname | API.example.com      | false",
        "hostname | a..b                 | false",
        "hostname | 'a b'                | false",
        "name     | vllm-llama3-8b       | true",
        "name     | Bad_Name             | false",
        "ip       | 10.0.0.1             | true",
        "ip       | fd00::1              | true",
        "ip       | 10.0.0.256           | false",
        "ip       | '10.0.0.1; x'        | false",
        "header   | x-tenant             | true",
        "header   | x#y                  | false",
        "header   | \"x                  | false",
        "value    | team a, b=c          | true",
        "value    | a\"b                 | false",
        "value    | $http_host           | false",
        "value    | a\\b                 | false",
      })
  void allowsOnlySafeValues(String kind, String value, boolean allowed) {
    boolean result =
        switch (kind) {
          case "path" -> validator.isPath(value);
          case "hostname" -> validator.isHostname(value);
          case "name" -> validator.isName(value);
          case "ip" -> validator.isIp(value);
          case "header" -> validator.isHeaderName(value);
          case "value" -> validator.isHeaderValue(value);
          default -> throw new IllegalArgumentException(kind);
        };
    assertThat(result).as(kind + " " + value).isEqualTo(allowed);
  }

  @ParameterizedTest
  @CsvSource({"0, false", "1, true", "65535, true", "65536, false"})
  void ports(int port, boolean allowed) {
    assertThat(validator.isPort(port)).isEqualTo(allowed);
  }
}
