package io.igw.picker.scheduling;

import io.igw.picker.datastore.EndpointState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the profiles the handler picks over the candidates: filters in order (stopping when none is
 * left), scorers weighed and clamped to [0,1], the picker; then the handler's final result and the
 * pre-request hooks. Does the shared work so plugins do not: clamping, weighing, timing at debug
 * level.
 */
public final class Scheduler {
  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());
  private static final int MAX_PROFILE_RUNS = 16;

  /**
   * Per thread, the total and per-scorer score arrays of the last run, reused while the candidate
   * count is the same. Safe because a run ends before the next starts on a thread, and plugins do
   * not keep the arrays they are given.
   */
  private static final ThreadLocal<double[][]> SCORE_ARRAYS =
      ThreadLocal.withInitial(() -> new double[2][0]);

  private final Map<String, SchedulingProfile> profiles;
  private final ProfileHandler handler;
  private final List<PreRequest> preRequestHooks;

  public Scheduler(
      Map<String, SchedulingProfile> profiles,
      ProfileHandler handler,
      List<PreRequest> preRequestHooks) {
    this.profiles = new LinkedHashMap<>(profiles);
    this.handler = handler;
    this.preRequestHooks = List.copyOf(preRequestHooks);
  }

  public Map<String, SchedulingProfile> profiles() {
    return profiles;
  }

  /**
   * The final result; its endpoint list is empty when every profile's filters removed all
   * candidates.
   */
  public ProfileResult schedule(SchedulingContext context, List<EndpointState> candidates) {
    Map<String, ProfileResult> results = new LinkedHashMap<>(2);
    for (int round = 0; round < MAX_PROFILE_RUNS; round++) {
      List<SchedulingProfile> next = handler.pick(context, profiles, results);
      if (next.isEmpty()) {
        break;
      }
      for (SchedulingProfile profile : next) {
        results.put(profile.name(), run(profile, context, candidates));
      }
    }
    ProfileResult result = handler.processResults(context, results);
    if (!result.endpoints().isEmpty()) {
      for (PreRequest hook : preRequestHooks) {
        hook.preRequest(context, result);
      }
    }
    return result;
  }

  ProfileResult run(
      SchedulingProfile profile, SchedulingContext context, List<EndpointState> candidates) {
    boolean debug = LOG.isLoggable(Level.FINE);
    List<EndpointState> remaining = candidates;
    for (Filter filter : profile.filters()) {
      long start = debug ? System.nanoTime() : 0;
      remaining = filter.filter(context, remaining);
      if (debug) {
        LOG.fine(
            "event=filter_ran plugin="
                + filter.typedName()
                + " left="
                + remaining.size()
                + " nanos="
                + (System.nanoTime() - start));
      }
      if (remaining.isEmpty()) {
        return new ProfileResult(profile.name(), List.of());
      }
    }
    int n = remaining.size();
    double[][] arrays = SCORE_ARRAYS.get();
    if (arrays[0].length != n) {
      arrays[0] = new double[n];
      arrays[1] = new double[n];
    }
    double[] total = arrays[0];
    double[] scores = arrays[1];
    Arrays.fill(total, 0);
    for (WeightedScorer weighted : profile.scorers()) {
      long start = debug ? System.nanoTime() : 0;
      Arrays.fill(scores, 0);
      weighted.scorer().score(context, remaining, scores);
      for (int i = 0; i < n; i++) {
        total[i] += weighted.weight() * clamp(scores[i]);
      }
      if (debug) {
        LOG.fine(
            "event=scorer_ran plugin="
                + weighted.scorer().typedName()
                + " scores="
                + Arrays.toString(scores)
                + " nanos="
                + (System.nanoTime() - start));
      }
    }
    List<EndpointState> picked = profile.picker().pick(context, remaining, total);
    if (debug) {
      LOG.fine(
          "event=picker_ran plugin="
              + profile.picker().typedName()
              + " picked="
              + picked.stream().map(EndpointState::address).toList());
    }
    return new ProfileResult(profile.name(), picked);
  }

  private static double clamp(double score) {
    return score >= 0 ? (score <= 1 ? score : 1) : 0;
  }
}
