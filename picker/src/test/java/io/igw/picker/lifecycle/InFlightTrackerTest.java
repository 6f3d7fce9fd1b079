package io.igw.picker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.testing.Endpoints;
import org.junit.jupiter.api.Test;

class InFlightTrackerTest {
  final EndpointState a = Endpoints.state(1, 0, 0, 0);
  final EndpointState b = Endpoints.state(2, 0, 0, 0);
  final InFlightTracker tracker = new InFlightTracker(1000);

  @Test
  void completionEndsARequestOnce() {
    tracker.started("r1", new InFlightTracker.InFlight(a, 0, "p", "m", "m", 100));
    tracker.started("r2", new InFlightTracker.InFlight(a, 0, "p", "m", "m", 100));
    assertThat(a.inFlight()).isEqualTo(2);
    assertThat(tracker.completed("r1")).isNotNull();
    assertThat(tracker.completed("r1")).isNull();
    assertThat(tracker.completed("unknown")).isNull();
    assertThat(a.inFlight()).isEqualTo(1);
  }

  @Test
  void lostCompletionsExpireAndARetryReplacesTheFirstPick() {
    tracker.started("r1", new InFlightTracker.InFlight(a, 0, "p", "m", "m", 100));
    tracker.started("r1", new InFlightTracker.InFlight(b, 500, "p", "m", "m", 100));
    assertThat(a.inFlight()).isZero();
    assertThat(b.inFlight()).isEqualTo(1);
    tracker.started(null, new InFlightTracker.InFlight(a, 600, "p", "m", "m", 100));
    assertThat(tracker.expire(1499)).isZero();
    assertThat(tracker.expire(1500)).isEqualTo(1);
    assertThat(tracker.expire(1600)).isEqualTo(1);
    assertThat(a.inFlight() + b.inFlight()).isZero();
    assertThat(tracker.size()).isZero();
  }
}
