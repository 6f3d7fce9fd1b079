package io.igw.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * InferenceModel (older API, still in use): a served model name, its criticality and weighted
 * targets.
 */
@Group(InferenceModel.GROUP)
@Version(InferenceModel.VERSION)
@Kind(InferenceModel.KIND)
public class InferenceModel extends CustomResource<InferenceModel.Spec, Void>
    implements Namespaced {
  public static final String GROUP = "inference.networking.x-k8s.io";
  public static final String VERSION = "v1alpha2";
  public static final String KIND = "InferenceModel";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(
      String modelName, String criticality, PoolRef poolRef, List<TargetModel> targetModels) {
    public Spec {
      targetModels = targetModels == null ? List.of() : List.copyOf(targetModels);
    }

    /** Breaks {@link TargetWeights#RULE}: the API server would have refused it. */
    public boolean hasMixedWeights() {
      return TargetWeights.mixed(targetModels, TargetModel::weight);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TargetModel(String name, Integer weight) {}
}
