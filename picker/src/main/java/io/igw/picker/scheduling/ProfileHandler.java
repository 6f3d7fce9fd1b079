package io.igw.picker.scheduling;

import java.util.List;
import java.util.Map;

/**
 * Chooses which profiles run for a request ({@link #pick}, called until it returns none) and turns
 * their results into the final ordered endpoints ({@link #processResults}).
 */
public interface ProfileHandler extends Plugin {
  List<SchedulingProfile> pick(
      SchedulingContext context,
      Map<String, SchedulingProfile> profiles,
      Map<String, ProfileResult> resultsSoFar);

  ProfileResult processResults(SchedulingContext context, Map<String, ProfileResult> results);
}
