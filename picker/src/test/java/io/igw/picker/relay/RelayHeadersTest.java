package io.igw.picker.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.extproc.ResponseHeaderMutation;
import io.igw.picker.extproc.ResponseHeaderMutation.Header;
import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayHeadersTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "connection",
        "keep-alive",
        "te",
        "transfer-encoding",
        "upgrade",
        "proxy-connection",
        "content-length",
        "host",
        "x-igw-request-id",
        "x-igw-relay-endpoints",
        "x-igw-relay-anything",
        "x-named-hop"
      })
  void requestHeadersThatStayOnTheirHop(String name) {
    MultiMap in =
        MultiMap.caseInsensitiveMultiMap()
            .add("connection", "keep-alive, X-Named-Hop")
            .add(name, "v")
            .add("x-kept", "yes");
    MultiMap out = RelayHeaders.request(in);
    assertThat(out.contains(name)).isFalse();
    assertThat(out.get("x-kept")).isEqualTo("yes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"connection", "keep-alive", "transfer-encoding", "upgrade", "x-igw-relay-served"})
  void responseHeadersThatStayOnTheirHop(String name) {
    MultiMap out =
        RelayHeaders.response(
            MultiMap.caseInsensitiveMultiMap()
                .add(name, "v")
                .add("content-length", "12")
                .add("x-kept", "yes"));
    assertThat(out.contains(name)).isFalse();
    assertThat(out.get("content-length")).isEqualTo("12");
    assertThat(out.get("x-kept")).isEqualTo("yes");
  }

  @Test
  void removalsFirstThenSetsAndAppendsInOrder() {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap().add("x-a", "server").add("x-gone", "1").add("x-b", "1");
    List<String> skipped =
        RelayHeaders.apply(
            new ResponseHeaderMutation(
                List.of("x-gone", "x-b"),
                List.of(
                    new Header("x-a", "epp", false),
                    new Header("x-a", "more", true),
                    new Header("x-b", "again", true))),
            headers);
    assertThat(skipped).isEmpty();
    assertThat(headers.getAll("x-a")).containsExactly("epp", "more");
    assertThat(headers.getAll("x-b")).containsExactly("again");
    assertThat(headers.contains("x-gone")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "host",
        ":status",
        "x-igw-relay-served",
        "bad name",
        "X-Upper\r\nx-injected"
      })
  void mutationsThatAreNeverApplied(String name) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-length", "5");
    List<String> skipped =
        RelayHeaders.apply(
            new ResponseHeaderMutation(
                List.of(name.toLowerCase()), List.of(new Header(name.toLowerCase(), "x", false))),
            headers);
    assertThat(skipped).hasSize(2);
    assertThat(headers.names()).containsExactly("content-length");
    assertThat(headers.get("content-length")).isEqualTo("5");
  }

  @Test
  void aValueWithALineBreakIsSkipped() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    List<String> skipped =
        RelayHeaders.apply(
            new ResponseHeaderMutation(
                List.of(), List.of(new Header("x-ok", "a\r\nx-injected: 1", false))),
            headers);
    assertThat(skipped).containsExactly("x-ok");
    assertThat(headers.isEmpty()).isTrue();
  }
}
