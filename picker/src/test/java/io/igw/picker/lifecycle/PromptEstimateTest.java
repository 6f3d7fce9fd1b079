package io.igw.picker.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.PoolName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream cut before its usage: the listeners see the pick's prompt estimate with the chunks NGINX
 * counted.
 */
class PromptEstimateTest {
  static InFlightTracker.InFlight inFlight(long promptTokens) {
    return new InFlightTracker.InFlight(
        new EndpointState(
            Endpoint.of(new PoolName("default", "p"), "pod", "127.0.10.1", 8000, null)),
        0,
        "default/p",
        "m",
        "m",
        promptTokens,
        null,
        "default");
  }

  static Completion completion(TokenUsage usage) {
    return new Completion("r", List.of(), 200, 1, 0.1, usage);
  }

  @Test
  void estimatedUsageWithoutPromptGetsThePicksEstimate() {
    Completion filled =
        CompletionFeed.withPromptEstimate(completion(new TokenUsage(0, 0, 7, true)), inFlight(40));
    assertThat(filled.usage()).isEqualTo(new TokenUsage(40, 0, 7, true));
  }

  @Test
  void readUsageUnknownPicksAndAbsentUsageStayAsTheyAre() {
    Completion read = completion(new TokenUsage(0, 0, 7, false));
    assertThat(CompletionFeed.withPromptEstimate(read, inFlight(40))).isSameAs(read);
    Completion estimated = completion(new TokenUsage(0, 0, 7, true));
    assertThat(CompletionFeed.withPromptEstimate(estimated, null)).isSameAs(estimated);
    Completion none = completion(null);
    assertThat(CompletionFeed.withPromptEstimate(none, inFlight(40))).isSameAs(none);
  }

  @Test
  void theListenersGetTheFilledUsage() {
    InFlightTracker tracker = new InFlightTracker(60_000);
    List<TokenUsage> seen = new ArrayList<>();
    CompletionFeed feed = new CompletionFeed(tracker, List.of((c, r) -> seen.add(c.usage())));
    tracker.started("r", inFlight(40));
    feed.accept(completion(new TokenUsage(0, 0, 3, true)));
    assertThat(seen).containsExactly(new TokenUsage(40, 0, 3, true));
  }
}
