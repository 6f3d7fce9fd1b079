package io.igw.bench.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchLogTest {
  @Test
  void progressIsOneEventLineWithEscapedValues() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BenchLog.to(new PrintStream(out, true, StandardCharsets.UTF_8))
        .event(
            "faults_case_done",
            "case",
            "soak",
            "met",
            false,
            "measured",
            "p99 4.2 s\nevent=forged",
            "folder",
            Path.of("/tmp/a b"));
    assertThat(out.toString(StandardCharsets.UTF_8))
        .hasLineCount(1)
        .matches(
            "\\S+Z INFO event=faults_case_done"
                + " case=soak met=false measured=\"p99 4.2 s\\\\nevent=forged\" folder=\"/tmp/a b\"\\R");
  }
}
