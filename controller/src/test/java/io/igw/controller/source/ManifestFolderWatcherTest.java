package io.igw.controller.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManifestFolderWatcherTest {

  @Test
  void aBurstOfChangesBecomesOneReconcile() throws Exception {
    Path folder = Files.createTempDirectory("igw-watch-");
    AtomicInteger calls = new AtomicInteger();
    try (ManifestFolderWatcher watcher =
        new ManifestFolderWatcher(folder, 500, 3_600_000, calls::incrementAndGet)) {
      watcher.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);
      for (int i = 0; i < 5; i++) {
        Files.writeString(folder.resolve("r" + i + ".yaml"), "kind: x\n");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 2);
      Thread.sleep(1000);
      assertThat(calls.get()).isEqualTo(2);
      Files.delete(folder.resolve("r0.yaml"));
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 3);
    }
  }
}
