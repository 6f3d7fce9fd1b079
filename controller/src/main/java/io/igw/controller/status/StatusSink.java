package io.igw.controller.status;

import java.util.List;

/** Where desired status goes: a file in local mode, the Kubernetes API otherwise. */
public interface StatusSink {
  /** Publishes what changed; returns how many resources were written. */
  int publish(List<ResourceStatus> statuses);

  /** A short name for logs. */
  String describe();
}
