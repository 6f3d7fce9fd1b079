package io.igw.picker.scheduling.plugins;

import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.ProfileHandler;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.SchedulingProfile;
import io.igw.picker.scheduling.TypedName;
import java.util.List;
import java.util.Map;

/** Runs the first profile once; its result is the answer. */
public final class SingleProfileHandler implements ProfileHandler {
  public static final String TYPE = "single-profile-handler";

  public static final PluginFactory FACTORY =
      p -> {
        p.done();
        return new SingleProfileHandler(p.plugin());
      };

  private final TypedName typedName;

  public SingleProfileHandler(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public List<SchedulingProfile> pick(
      SchedulingContext context,
      Map<String, SchedulingProfile> profiles,
      Map<String, ProfileResult> resultsSoFar) {
    return resultsSoFar.isEmpty() && !profiles.isEmpty()
        ? List.of(profiles.values().iterator().next())
        : List.of();
  }

  @Override
  public ProfileResult processResults(
      SchedulingContext context, Map<String, ProfileResult> results) {
    return results.isEmpty()
        ? new ProfileResult("", List.of())
        : results.values().iterator().next();
  }
}
