package io.igw.picker.ratelimit;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where the buckets live: this picker's memory, or Redis for buckets shared by every gateway
 * replica. Both operations are atomic over all the charges they get.
 */
public interface BucketStore {

  /** Takes every charge when each bucket holds its amount; takes nothing otherwise. */
  Future<Admission> admit(List<BucketCharge> charges);

  /** Gives back each charge's amount (takes it when negative), capped at the capacity. */
  Future<Void> settle(List<BucketCharge> charges);

  /** How many buckets it holds now, or -1 when it cannot tell cheaply. */
  long size();

  Future<Void> close();
}
