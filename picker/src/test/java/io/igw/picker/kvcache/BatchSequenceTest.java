package io.igw.picker.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.kvcache.BatchSequence.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchSequenceTest {

  @ParameterizedTest(name = "after {0}: live {1} is {2}, replayed {1} is {3}")
  @CsvSource({
    "-1, 0, NEXT, NEXT",
    "-1, 5, LATE_START, GAP",
    "4, 5, NEXT, NEXT",
    "4, 7, GAP, GAP",
    "4, 4, RESTART, STALE",
    "4, 0, RESTART, STALE",
    "4, 2, RESTART, STALE"
  })
  void verdicts(long last, long seq, Verdict live, Verdict replayed) {
    BatchSequence sequence = new BatchSequence();
    if (last >= 0) {
      sequence.applied(last);
    }

    assertThat(sequence.live(seq)).isEqualTo(live);
    assertThat(sequence.replayed(seq)).isEqualTo(replayed);
    assertThat(sequence.next()).isEqualTo(last + 1);
  }
}
