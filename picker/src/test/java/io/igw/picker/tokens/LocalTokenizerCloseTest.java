package io.igw.picker.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.testing.LetterTokenizerJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the tokenizer while worker threads encode (a picker stopping under load) must neither
 * free the native tokenizer under them, which crashes the JVM, nor fail them: they finish, and
 * later encodes answer null.
 */
class LocalTokenizerCloseTest {

  @Test
  void closeWaitsForEncodesInProgressAndLaterOnesAnswerNull(@TempDir Path dir) throws Exception {
    LocalTokenizer tokenizer =
        LocalTokenizer.load(LetterTokenizerJson.write(dir), ChatTemplate.CHATML);
    String text = "the slow lower tower ".repeat(20_000);
    CountDownLatch started = new CountDownLatch(4);
    AtomicInteger finished = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t =
          new Thread(
              () -> {
                started.countDown();
                for (int round = 0; round < 5; round++) {
                  int[] ids = tokenizer.completion(text, false);
                  if (ids != null) {
                    assertThat(ids).isNotEmpty();
                  }
                }
                finished.incrementAndGet();
              });
      workers.add(t);
      t.start();
    }
    started.await();
    tokenizer.close();
    for (Thread t : workers) {
      t.join();
    }
    assertThat(finished).hasValue(4);
    assertThat(tokenizer.completion("the end", false)).isNull();
    tokenizer.close(); // twice is fine
  }
}
