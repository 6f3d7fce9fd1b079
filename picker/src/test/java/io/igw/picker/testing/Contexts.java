package io.igw.picker.testing;

import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.SchedulingRequest;
import java.util.Map;
import java.util.SplittableRandom;

/** Scheduling contexts for plugin tests, on a fixed seed. */
public final class Contexts {
  private Contexts() {}

  public static SchedulingContext of(String model, String prompt) {
    return of(model, prompt, Map.of(), 0);
  }

  public static SchedulingContext of(
      String model, String prompt, Map<String, String> headers, long nowMillis) {
    PromptBytes bytes = prompt == null ? SchedulingRequest.NO_PROMPT : PromptBytes.utf8(prompt);
    return new SchedulingContext(
        new SchedulingRequest("r", model, bytes, headers::get, 0),
        nowMillis,
        new SplittableRandom(7));
  }
}
