package io.igw.picker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PickBodyTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json                  | 400 | invalid_json  | the request body is not valid JSON",
        "[1, 2]                    | 400 | invalid_body  | the request body must be a JSON object",
        "\"hello\"                 | 400 | invalid_body  | the request body must be a JSON object",
        "null                      | 400 | invalid_body  | the request body must be a JSON object",
        "{\"model\": 7}            | 400 | invalid_model | model must be a string",
        "{\"model\": {}}           | 400 | invalid_model | model must be a string",
        "{\"model\": \"\"}         | 400 | invalid_model | model must not be empty",
        "{\"model\": \"\", \"model\": \"\"} | 400 | invalid_model | model must not be empty",
        "{\"model\": \"m\"} trail  | 400 | invalid_json  | the request body is not valid JSON",
      })
  void aBodyThatIsNotAJsonObjectWithAStringModelIsRefused(
      String body, int status, String code, String message) {
    PickBody checked = PickBody.of(Buffer.buffer(body));
    assertThatThrownBy(checked::json)
        .isInstanceOfSatisfying(
            PickFailure.class,
            f -> {
              assertThat(f.status()).isEqualTo(status);
              assertThat(f.code()).isEqualTo(code);
              assertThat(f.getMessage()).isEqualTo(message);
            });
    assertThat(checked.model()).isNull();
    assertThat(checked.raw().toString()).isEqualTo(body);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "application/json                    | true",
        "application/json; charset=utf-8     | true",
        "Application/Vnd.Api+JSON            | true",
        "'  '                                | true",
        "multipart/form-data; boundary=x     | false",
        "application/x-www-form-urlencoded   | false",
        "text/plain                          | false",
        "application/jsonp                   | false",
        "application/json-patch              | false",
      })
  void onlyABodySentAsJsonIsRead(String contentType, boolean json) {
    PickBody body = PickBody.of(Buffer.buffer("{\"model\":\"m\"}"), contentType);
    if (json) {
      assertThat(body.model()).isEqualTo("m");
    } else {
      assertThatThrownBy(body::check)
          .isInstanceOfSatisfying(
              PickFailure.class,
              f -> {
                assertThat(f.status()).isEqualTo(415);
                assertThat(f.code()).isEqualTo("unsupported_media_type");
              });
      assertThat(body.model()).isNull();
    }
  }

  @Test
  void aByteOrderMarkOrUtf16IsNotJsonAsSent() {
    byte[] json = "{\"model\":\"m\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Buffer bom =
        Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendBytes(json);
    Buffer utf16 =
        Buffer.buffer("{\"model\":\"m\"}".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    for (Buffer body : new Buffer[] {bom, utf16}) {
      assertThatThrownBy(() -> PickBody.of(body).check())
          .isInstanceOfSatisfying(
              PickFailure.class, f -> assertThat(f.code()).isEqualTo("invalid_json"));
    }
  }

  @Test
  void aBodylessRequestPassesWhateverItsContentType() {
    assertThat(PickBody.of(Buffer.buffer(), "text/plain").json()).isNull();
    assertThat(PickBody.of(Buffer.buffer("{\"model\":\"m\"}"), null).model()).isEqualTo("m");
  }

  @Test
  void aNullModelIsNoModelAsVllmReadsIt() {
    assertThat(PickBody.of(Buffer.buffer("{\"model\":null,\"prompt\":\"x\"}")).model()).isNull();
  }

  @Test
  void aDeeplyNestedBodyIsRefusedBeforeItBecomesObjects() {
    String hostile = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThatThrownBy(() -> PickBody.of(Buffer.buffer(hostile)).json())
        .isInstanceOfSatisfying(PickFailure.class, f -> assertThat(f.status()).isEqualTo(400));
  }

  @Test
  void aValidBodyIsCheckedOnceAndKeepsItsBytes() {
    Buffer raw = Buffer.buffer("{ \"model\" : \"m\", \"prompt\": \"hi\" }");
    PickBody body = PickBody.of(raw);
    assertThat(body.model()).isEqualTo("m");
    assertThat(body.json()).isSameAs(body.json());
    assertThat(body.raw()).isSameAs(raw);
    assertThat(body.length()).isEqualTo(raw.length());
  }

  @Test
  void emptyIsBodyless() {
    for (PickBody body :
        new PickBody[] {
          PickBody.of(Buffer.buffer()), PickBody.of((Buffer) null), PickBody.none()
        }) {
      assertThat(body.json()).isNull();
      assertThat(body.model()).isNull();
      assertThat(body.raw()).isNull();
      assertThat(body.length()).isZero();
    }
  }

  @Test
  void aParsedBodyHasTheBytesOfItsCompactJson() {
    JsonObject json = new JsonObject().put("model", "m").put("prompt", "hi");
    PickBody body = PickBody.of(json);
    assertThat(body.json()).isSameAs(json);
    assertThat(body.raw().toString()).isEqualTo("{\"model\":\"m\",\"prompt\":\"hi\"}");
    assertThatThrownBy(() -> PickBody.of(new JsonObject().put("model", 1)))
        .isInstanceOf(PickFailure.class);
  }
}
