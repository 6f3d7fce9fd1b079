package io.igw.bench.workload;

import java.util.List;

/**
 * A workload's requests in arrival order, and the ladder they were drawn on (its steps label the
 * results).
 */
public record RequestSequence(String workload, LoadLadder ladder, List<WorkloadRequest> requests) {
  public RequestSequence {
    requests = List.copyOf(requests);
    for (int i = 1; i < requests.size(); i++) {
      if (requests.get(i).arrivalSeconds() < requests.get(i - 1).arrivalSeconds()) {
        throw new IllegalArgumentException(
            workload
                + ": requests must be in arrival order (request "
                + requests.get(i).id()
                + ")");
      }
    }
  }

  public int size() {
    return requests.size();
  }
}
