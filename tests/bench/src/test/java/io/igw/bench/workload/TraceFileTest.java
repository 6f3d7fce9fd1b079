package io.igw.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.igw.simulator.engine.EngineProfile;
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
    Files.writeString(
        file,
        """
        # my traffic
        {"t": 70.5, "model": "m", "prompt": "hello there", "output_tokens": 5, "stream": false}
        {"t": 0, "model": "m", "prompt_tokens": 100, "prefix_group": "a", "prefix_tokens": 80, "output_tokens": 10}
        {"t": 1, "model": "m", "prompt_tokens": 100, "prefix_group": "a", "prefix_tokens": 80, "output_tokens": 10,
        """
                .strip()
            + " \"objective\": \"batch\", \"priority\": -1}\n");
    PromptText words = PromptText.forProfile(EngineProfile.LLAMA_8B_H100);
    RequestSequence sequence = TraceFile.read(file, 60, 1, words);
    assertThat(sequence.size()).isEqualTo(3);
    assertThat(sequence.ladder().size()).isEqualTo(2);
    WorkloadRequest first = sequence.requests().get(0);
    WorkloadRequest second = sequence.requests().get(1);
    // the 80-token prefix of group "a" is the same text and the same tokens; the 20 tokens after it
    // are not
    PromptText.Rendered a = words.render(first.prompt());
    PromptText.Rendered b = words.render(second.prompt());
    assertThat(first.prompt().tokens()).isEqualTo(100);
    assertThat(a.tokenIds()).hasSize(1 + 100);
    assertThat(java.util.Arrays.copyOf(a.tokenIds(), 81))
        .isEqualTo(java.util.Arrays.copyOf(b.tokenIds(), 81));
    assertThat(a.tokenIds()).isNotEqualTo(b.tokenIds());
    assertThat(a.text()).isNotEqualTo(b.text());
    assertThat(second.objective()).isEqualTo("batch");
    assertThat(second.sheddable()).isTrue();
    WorkloadRequest last = sequence.requests().get(2);
    assertThat(last.step()).isEqualTo(1);
    assertThat(last.stream()).isFalse();
    assertThat(last.prompt().literal()).isEqualTo("hello there");
    assertThat(last.prompt().tokens()).as("counted by o200k_base: 'hello', ' there'").isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"model\": \"m\", \"prompt\": \"x\", \"output_tokens\": 1}|t is required",
        "{\"t\": 0, \"model\": \"m\", \"output_tokens\": 1}|prompt_tokens is required",
        "{\"t\": 0, \"model\": \"m\", \"prompt\": \"x\", \"output_tokens\": 1, \"colour\": 1}|unknown field colour",
        "{\"t\": -1, \"model\": \"m\", \"prompt\": \"x\", \"output_tokens\": 1}|t must be a number",
        "not json|not a JSON object"
      })
  void badLinesNameTheLineAndTheField(String line, String message) {
    assertThatThrownBy(
            () ->
                TraceFile.parseLine(
                    "t.jsonl:3", line, 0, 1, PromptText.forProfile(EngineProfile.LLAMA_8B_H100)))
        .hasMessageStartingWith("t.jsonl:3: ")
        .hasMessageContaining(message);
  }
}
