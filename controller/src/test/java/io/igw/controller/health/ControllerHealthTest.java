package io.igw.controller.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.time.ManualClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ControllerHealthTest {
  private final ManualClock now = new ManualClock(0);
  private final AtomicBoolean nginxRunning = new AtomicBoolean();
  private final ControllerHealth health = new ControllerHealth(now, nginxRunning::get);

  @Test
  void notReadyUntilAConfigServes() {
    assertThat(health.ready().ok()).isFalse();
    assertThat(health.ready().reason()).contains("no reconcile");
    health.track(() -> ReconcileResult.REJECTED);
    assertThat(health.ready().ok()).isFalse();
    assertThat(health.ready().reason()).contains("no config has been applied").contains("rejected");
    nginxRunning.set(true);
    health.track(() -> ReconcileResult.APPLIED);
    assertThat(health.ready().ok()).isTrue();
    assertThat(health.health().ok()).isTrue();
  }

  @Test
  void aRejectedConfigLaterKeepsTheReplicaReadyOnItsLastGoodOne() {
    nginxRunning.set(true);
    health.track(() -> ReconcileResult.APPLIED);
    health.track(() -> ReconcileResult.REJECTED);
    health.track(() -> ReconcileResult.SOURCE_INVALID);
    assertThat(health.ready().ok()).isTrue();
  }

  @Test
  void nginxGoneIsNotReady() {
    nginxRunning.set(true);
    health.track(() -> ReconcileResult.UNCHANGED);
    nginxRunning.set(false);
    assertThat(health.ready()).isEqualTo(new ControllerHealth.Check(false, "nginx is not running"));
  }

  @Test
  void aReconcileThatThrowsIsRecordedAndRethrown() {
    try {
      health.track(
          () -> {
            throw new IllegalStateException("boom");
          });
    } catch (IllegalStateException expected) {
      // the tracker lets it through
    }
    assertThat(health.health().ok()).isTrue();
    assertThat(health.ready().reason()).contains("interrupted");
  }

  @Test
  void aWedgedReconcileMakesTheControllerUnhealthy() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread reconcile =
        new Thread(
            () ->
                health.track(
                    () -> {
                      inside.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return ReconcileResult.APPLIED;
                    }));
    reconcile.start();
    inside.await();
    now.set(ControllerHealth.STUCK_AFTER_MILLIS);
    assertThat(health.health().ok()).isTrue();
    now.advance(1);
    assertThat(health.health().ok()).isFalse();
    assertThat(health.health().reason()).contains("running for");
    release.countDown();
    reconcile.join();
    assertThat(health.health().ok()).isTrue();
  }
}
