package io.igw.picker.scheduling;

/** Optional ability: runs once a request is scheduled (index updates, accounting). */
public interface PreRequest extends Plugin {
  void preRequest(SchedulingContext context, ProfileResult result);
}
