package io.igw.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * InferenceObjective: a named priority that requests select with {@code
 * x-gateway-inference-objective}.
 */
@Group(InferenceObjective.GROUP)
@Version(InferenceObjective.VERSION)
@Kind(InferenceObjective.KIND)
public class InferenceObjective extends CustomResource<InferenceObjective.Spec, Void>
    implements Namespaced {
  public static final String GROUP = "inference.networking.x-k8s.io";
  public static final String VERSION = "v1alpha2";
  public static final String KIND = "InferenceObjective";

  /** {@code priority}: higher is more important; negative is sheddable; unset is 0. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(Integer priority, PoolRef poolRef) {}
}
