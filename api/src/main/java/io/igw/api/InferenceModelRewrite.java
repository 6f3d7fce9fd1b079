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
 * InferenceModelRewrite: rules that rewrite a request's model to weighted targets (rollouts, A/B).
 */
@Group(InferenceModelRewrite.GROUP)
@Version(InferenceModelRewrite.VERSION)
@Kind(InferenceModelRewrite.KIND)
public class InferenceModelRewrite extends CustomResource<InferenceModelRewrite.Spec, Void>
    implements Namespaced {
  public static final String GROUP = "inference.networking.x-k8s.io";
  public static final String VERSION = "v1alpha2";
  public static final String KIND = "InferenceModelRewrite";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(PoolRef poolRef, List<Rule> rules) {
    public Spec {
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /** Empty {@code matches} is a catch-all. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rule(List<Match> matches, List<Target> targets) {
    public Rule {
      matches = matches == null ? List.of() : List.copyOf(matches);
      targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** Breaks {@link TargetWeights#RULE}. */
    public boolean hasMixedWeights() {
      return TargetWeights.mixed(targets, Target::weight);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Match(ModelMatch model) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ModelMatch(String type, String value) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Target(String modelRewrite, Integer weight) {}
}
