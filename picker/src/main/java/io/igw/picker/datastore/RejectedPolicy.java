package io.igw.picker.datastore;

import io.igw.api.log.LogText;
import java.util.logging.Logger;

/**
 * A policy resource the datastore ignores because it breaks a rule the API server would have
 * enforced (so it acts as if it did not exist: an invalid InferenceModel does not claim its model
 * name). Equal for the same resource version, so a source that rebuilds on every change can log
 * each verdict once.
 *
 * @param model the InferenceModel's model name; null for other kinds
 */
public record RejectedPolicy(
    String kind,
    String namespace,
    String name,
    String resourceVersion,
    String model,
    String reason) {
  private static final Logger LOG = Logger.getLogger(RejectedPolicy.class.getName());

  /** One WARNING line: an expected configuration error, no stack trace. */
  public void log() {
    LOG.warning(
        "event=policy_rejected kind="
            + kind
            + " resource="
            + namespace
            + "/"
            + name
            + (model == null ? "" : " model=" + LogText.value(model))
            + " reason="
            + LogText.value(reason)
            + " action=ignored");
  }
}
