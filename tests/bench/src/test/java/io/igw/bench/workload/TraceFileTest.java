package io.igw.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceFileTest {
  @Test
  void readsGroupsLiteralsObjectivesAndWindows(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.jsonl");
    Files.writeString(file, """
        # my traffic
        {"t": 70.5, "model": "m", "prompt": "hello there", "output_tokens": 5, "stream": false}
        {"t": 0, "model": "m", "prompt_tokens": 100, "prefix_group": "a", "prefix_tokens": 80, "output_tokens": 10}
        {"t": 1, "model": "m", "prompt_tokens": 100, "prefix_group": "a", "prefix_tokens": 80, "output_tokens": 10,
        """.strip() + " \"objective\": \"batch\", \"priority\": -1}\n");
    RequestSequence sequence = TraceFile.read(file, 60, 1);
    assertThat(sequence.size()).isEqualTo(3);
    assertThat(sequence.ladder().size()).isEqualTo(2);
    WorkloadRequest first = sequence.requests().get(0);
    WorkloadRequest second = sequence.requests().get(1);
    assertThat(first.prompt().text().substring(0, 320)).isEqualTo(second.prompt().text().substring(0, 320));
    assertThat(first.prompt().text()).isNotEqualTo(second.prompt().text());
    assertThat(second.objective()).isEqualTo("batch");
    assertThat(second.sheddable()).isTrue();
    WorkloadRequest last = sequence.requests().get(2);
    assertThat(last.step()).isEqualTo(1);
    assertThat(last.stream()).isFalse();
    assertThat(last.prompt().text()).isEqualTo("hello there");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"model\": \"m\", \"prompt\": \"x\", \"output_tokens\": 1}|t is required",
      "{\"t\": 0, \"model\": \"m\", \"output_tokens\": 1}|prompt_tokens is required",
      "{\"t\": 0, \"model\": \"m\", \"prompt\": \"x\", \"output_tokens\": 1, \"colour\": 1}|unknown field colour",
      "{\"t\": -1, \"model\": \"m\", \"prompt\": \"x\", \"output_tokens\": 1}|t must be a number",
      "not json|not a JSON object"})
  void badLinesNameTheLineAndTheField(String line, String message) {
    assertThatThrownBy(() -> TraceFile.parseLine("t.jsonl:3", line, 0, 1))
        .hasMessageStartingWith("t.jsonl:3: ").hasMessageContaining(message);
  }
}
