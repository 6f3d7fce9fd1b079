package io.igw.picker.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.flowcontrol.FlowController.Offer;
import io.igw.picker.scheduling.config.BandLimits;
import io.igw.picker.scheduling.config.FlowControlConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flow controller alone, on a fake clock and a saturation flag the test sets. */
class FlowControllerTest {
  static final long TTL = 1000;

  /**
   * Saturated while more than {@code capacity} dispatched requests are in flight, as a pool would
   * report.
   */
  static final class FakePool {
    boolean saturated = true;
    int capacity = Integer.MAX_VALUE;
    int inFlight;

    boolean saturated() {
      return saturated || inFlight >= capacity;
    }
  }

  final FakePool pool = new FakePool();
  final List<String> dispatched = new ArrayList<>();
  FlowController<String> controller =
      controller(
          new FlowControlConfig(
              0, TTL, new BandLimits(1000, 3), Map.of(10, new BandLimits(100, 2))));

  FlowController<String> controller(FlowControlConfig config) {
    return new FlowController<>(config, pool::saturated);
  }

  FlowItem<String> item(String name, int priority, long bytes) {
    return new FlowItem<>(name, priority, bytes);
  }

  int dispatch(long now) {
    return controller.dispatchReady(
        now,
        i -> {
          dispatched.add(i.payload());
          pool.inFlight++;
        });
  }

  @Test
  void admitsAtOnceWhenNotSaturatedAndNothingWaits() {
    pool.saturated = false;
    assertThat(controller.offer(item("a", 0, 10), 0)).isEqualTo(Offer.ADMITTED);
    assertThat(controller.queued()).isZero();
  }

  @Test
  void higherPriorityFirstThenFifoWithinABand() {
    for (String name : List.of("s1", "s2")) {
      assertThat(controller.offer(item(name, -1, 10), 0)).isEqualTo(Offer.QUEUED);
    }
    assertThat(controller.offer(item("n1", 0, 10), 1)).isEqualTo(Offer.QUEUED);
    assertThat(controller.offer(item("c1", 10, 10), 2)).isEqualTo(Offer.QUEUED);
    assertThat(controller.offer(item("n2", 0, 10), 3)).isEqualTo(Offer.QUEUED);
    assertThat(dispatch(4)).isZero();
    pool.saturated = false;
    assertThat(dispatch(5)).isEqualTo(5);
    assertThat(dispatched).containsExactly("c1", "n1", "n2", "s1", "s2");
    assertThat(controller.queued()).isZero();
    assertThat(controller.queuedBytes()).isZero();
  }

  @Test
  void reChecksSaturationBeforeEachDispatch() {
    for (int i = 0; i < 3; i++) {
      controller.offer(item("r" + i, 0, 1), i);
    }
    controller.offer(item("s", -1, 1), 3);
    pool.saturated = false;
    pool.capacity = 2;
    assertThat(dispatch(10)).isEqualTo(2);
    assertThat(dispatched).containsExactly("r0", "r1");
    pool.inFlight = 1;
    assertThat(dispatch(11)).isEqualTo(1);
    assertThat(dispatched).containsExactly("r0", "r1", "r2");
    assertThat(controller.queued()).isEqualTo(1);
  }

  @Test
  void aNewRequestQueuesBehindItsBandEvenWhenThePoolHasRoom() {
    controller.offer(item("first", 0, 1), 0);
    pool.saturated = false;
    assertThat(controller.offer(item("second", 0, 1), 1)).isEqualTo(Offer.QUEUED);
    assertThat(controller.offer(item("critical", 10, 1), 1)).isEqualTo(Offer.ADMITTED);
    dispatch(2);
    assertThat(dispatched).containsExactly("first", "second");
  }

  @Test
  void refusesOverTheBandsRequestsOrBytes() {
    assertThat(controller.offer(item("c1", 10, 60), 0)).isEqualTo(Offer.QUEUED);
    assertThat(controller.offer(item("c2", 10, 50), 0)).isEqualTo(Offer.REFUSED);
    assertThat(controller.offer(item("c3", 10, 40), 0)).isEqualTo(Offer.QUEUED);
    assertThat(controller.offer(item("c4", 10, 0), 0)).isEqualTo(Offer.REFUSED);
    assertThat(controller.offer(item("other band", 0, 10), 0)).isEqualTo(Offer.QUEUED);
    assertThat(controller.queued(10)).isEqualTo(2);
    assertThat(controller.queuedBytes(10)).isEqualTo(100);
  }

  @Test
  void refusesOverTheGlobalBytes() {
    controller = controller(new FlowControlConfig(100, TTL, new BandLimits(1000, 10), Map.of()));
    assertThat(controller.offer(item("a", 0, 70), 0)).isEqualTo(Offer.QUEUED);
    assertThat(controller.offer(item("b", 5, 40), 0)).isEqualTo(Offer.REFUSED);
    assertThat(controller.offer(item("c", 5, 30), 0)).isEqualTo(Offer.QUEUED);
  }

  @Test
  void aBandWithoutRoomRefusesAtOnceWhileSaturated() {
    controller =
        controller(
            new FlowControlConfig(
                0, TTL, BandLimits.DEFAULTS, Map.of(-1, new BandLimits(1000, 0))));
    assertThat(controller.offer(item("sheddable", -1, 1), 0)).isEqualTo(Offer.REFUSED);
    pool.saturated = false;
    assertThat(controller.offer(item("sheddable", -1, 1), 0)).isEqualTo(Offer.ADMITTED);
  }

  @Test
  void expiresRequestsPastTheirTtl() {
    FlowItem<String> early = item("early", 0, 5);
    controller.offer(early, 100);
    controller.offer(item("late", 0, 5), 600);
    controller.offer(item("other", 10, 5), 300);
    assertThat(early.deadlineMillis()).isEqualTo(100 + TTL);
    List<String> expired = new ArrayList<>();
    assertThat(controller.expire(100 + TTL - 1, i -> expired.add(i.payload()))).isZero();
    assertThat(controller.expire(1300, i -> expired.add(i.payload()))).isEqualTo(2);
    assertThat(expired).containsExactlyInAnyOrder("early", "other");
    assertThat(early.isQueued()).isFalse();
    assertThat(controller.queued()).isEqualTo(1);
    assertThat(controller.queuedBytes()).isEqualTo(5);
  }

  @Test
  void removesARequestWhoseClientWentAway() {
    FlowItem<String> gone = item("gone", 0, 7);
    controller.offer(item("a", 0, 1), 0);
    controller.offer(gone, 0);
    controller.offer(item("b", 0, 1), 0);
    assertThat(controller.remove(gone)).isTrue();
    assertThat(controller.remove(gone)).isFalse();
    assertThat(controller.queuedBytes()).isEqualTo(2);
    pool.saturated = false;
    dispatch(1);
    assertThat(dispatched).containsExactly("a", "b");
    assertThat(controller.remove(item("never offered", 0, 1))).isFalse();
  }

  @Test
  void aRemovedRequestFreesRoomInItsBand() {
    FlowItem<String> c1 = item("c1", 10, 10);
    controller.offer(c1, 0);
    controller.offer(item("c2", 10, 10), 0);
    assertThat(controller.offer(item("c3", 10, 10), 0)).isEqualTo(Offer.REFUSED);
    controller.remove(c1);
    assertThat(controller.offer(item("c3", 10, 10), 0)).isEqualTo(Offer.QUEUED);
  }

  @Test
  void aHugeTtlDoesNotOverflow() {
    controller =
        controller(new FlowControlConfig(0, Long.MAX_VALUE, BandLimits.DEFAULTS, Map.of()));
    FlowItem<String> item = item("a", 0, 1);
    controller.offer(item, 1000);
    assertThat(item.deadlineMillis()).isEqualTo(Long.MAX_VALUE);
    assertThat(controller.expire(Long.MAX_VALUE - 1, i -> {})).isZero();
  }
}
