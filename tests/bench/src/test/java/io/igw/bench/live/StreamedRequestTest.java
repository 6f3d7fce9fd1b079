package io.igw.bench.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.bench.report.RequestOutcome;
import io.igw.bench.workload.Prompt;
import io.igw.bench.workload.WorkloadRequest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamedRequestTest {
  static final WorkloadRequest REQUEST =
      new WorkloadRequest(3, 0, 1, "m", Prompt.segment(1, 40), 2, null, 0, true);

  @Test
  void readsTokensUsageAndTheEnd() {
    AtomicInteger tokens = new AtomicInteger();
    StreamedRequest stream =
        new StreamedRequest(REQUEST, System.nanoTime(), now -> tokens.incrementAndGet());
    stream.headers(200, "127.0.0.41:18400");
    stream.onNext("data: {\"choices\":[{\"text\":\"a\"}]}");
    stream.onNext("");
    stream.onNext("data: {\"choices\":[{\"text\":\"b\"}]}");
    stream.onNext(
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":2,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":32}}}");
    stream.onNext("data: [DONE]");
    stream.onComplete();
    RequestOutcome outcome = stream.outcome(0, 2, 300);
    assertThat(tokens).hasValue(2);
    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.step()).isEqualTo(1);
    assertThat(outcome.outputTokens()).isEqualTo(2);
    assertThat(outcome.cachedTokens()).isEqualTo(32);
    assertThat(outcome.ttft()).isLessThanOrEqualTo(outcome.e2e());
  }

  @Test
  void anAbandonedRequestWithoutATokenCountsTheTimeout() {
    StreamedRequest stream = new StreamedRequest(REQUEST, System.nanoTime(), now -> {});
    stream.headers(200, null);
    stream.abandon();
    RequestOutcome outcome = stream.outcome(-1, 2, 300);
    assertThat(outcome.timedOut()).isTrue();
    assertThat(outcome.ttft()).isEqualTo(300);
  }

  @Test
  void aRefusalKeepsItsStatus() {
    StreamedRequest stream = new StreamedRequest(REQUEST, System.nanoTime(), now -> {});
    stream.headers(429, null);
    stream.onNext("{\"error\":{}}");
    stream.onComplete();
    assertThat(stream.outcome(-1, 2, 300).shed()).isTrue();
  }
}
