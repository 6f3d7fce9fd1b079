package io.igw.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SseAnswerTest {
  private static final String TOKEN =
      "data: {\"choices\":[{\"index\":0,\"text\":\" tok\",\"finish_reason\":null}]}\n\n";
  private static final String CHAT_TOKEN =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n";
  private static final String FINISH =
      "data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}\n\n";
  private static final String USAGE =
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "TOKEN TOKEN FINISH DONE       | 2 | 0 | true  | 0",
        "TOKEN FINISH USAGE DONE       | 1 | 1 | true  | 0",
        "CHAT TOKEN DONE               | 2 | 0 | true  | 0",
        "TOKEN TOKEN                   | 2 | 0 | false | 0",
        "TOKEN DONE TOKEN              | 2 | 0 | false | 0",
        "TOKEN BROKEN NOTDATA DONE     | 1 | 0 | true  | 2",
      })
  void countsContentAndUsageChunksAndTheEnd(
      String events, int content, int usage, boolean done, int malformed) {
    StringBuilder body = new StringBuilder();
    for (String e : events.split(" ")) {
      body.append(
          switch (e) {
            case "TOKEN" -> TOKEN;
            case "CHAT" -> CHAT_TOKEN;
            case "FINISH" -> FINISH;
            case "USAGE" -> USAGE;
            case "DONE" -> DONE;
            case "BROKEN" -> "data: {\"choices\":\n\n";
            default -> "event: x\n\n";
          });
    }
    assertThat(SseAnswer.parse(body.toString()))
        .isEqualTo(new SseAnswer(content, usage, done, malformed));
  }
}
