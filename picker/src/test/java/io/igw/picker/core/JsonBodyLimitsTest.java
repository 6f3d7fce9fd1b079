package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.buffer.Buffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonBodyLimitsTest {

  static Stream<Arguments> beyondTheBounds() {
    return Stream.of(
        Arguments.of("deep arrays", "[".repeat(JsonBodyLimits.MAX_DEPTH + 1), 400),
        Arguments.of("deep objects", "{\"a\":".repeat(JsonBodyLimits.MAX_DEPTH + 1), 400),
        Arguments.of("deep 4 MiB", "{\"model\":\"m\",\"prompt\":" + "[".repeat(4 << 20) + "]", 400),
        Arguments.of(
            "long array",
            "{\"prompt\":[" + "1,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS) + "1]}",
            413),
        Arguments.of(
            "long nested array",
            "{\"p\":[[" + "0,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS) + "0]]}",
            413));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beyondTheBounds")
  void bodiesBeyondTheBoundsAreRefusedWithTheirStatus(String name, String body, int status) {
    PickFailure failure =
        catchThrowableOfType(PickFailure.class, () -> JsonBodyLimits.check(Buffer.buffer(body)));
    assertThat(failure).as(name).isNotNull();
    assertThat(failure.status()).isEqualTo(status);
  }

  @Test
  void bodiesWithinTheBoundsPass() {
    String items = "1,".repeat(JsonBodyLimits.MAX_ARRAY_ITEMS - 1) + "1";
    assertThatCode(
            () ->
                JsonBodyLimits.check(
                    Buffer.buffer("{\"a\":[" + items + "],\"b\":[" + items + "]}")))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                JsonBodyLimits.check(
                    Buffer.buffer(
                        "[".repeat(JsonBodyLimits.MAX_DEPTH)
                            + "]".repeat(JsonBodyLimits.MAX_DEPTH))))
        .doesNotThrowAnyException();
  }

  @Test
  void syntaxErrorsAreLeftToTheParse() {
    assertThatCode(() -> JsonBodyLimits.check(Buffer.buffer("{nope"))).doesNotThrowAnyException();
  }
}
