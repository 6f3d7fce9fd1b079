package io.igw.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.PolicyStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * TokenRateLimitPolicy: token and request budgets for the requests of an HTTPRoute or an
 * InferencePool (a Gateway API policy by attachment, {@code spec.targetRefs} in its namespace).
 * Each rule selects requests by tenant, objective and model and holds its limits per window. The
 * picker enforces it (docs/rate-limits.md); these types only carry what the manifest says, {@link
 * io.igw.api.ratelimit.RateLimitPolicyCheck} checks every field. The status is Gateway API's
 * PolicyStatus ({@code ancestors[]}), written by the controller.
 */
@Group(TokenRateLimitPolicy.GROUP)
@Version(TokenRateLimitPolicy.VERSION)
@Kind(TokenRateLimitPolicy.KIND)
public class TokenRateLimitPolicy extends CustomResource<TokenRateLimitPolicy.Spec, PolicyStatus>
    implements Namespaced {
  public static final String GROUP = "gateway.igw.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "TokenRateLimitPolicy";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /**
   * @param failureMode {@code Allow} (default) or {@code Deny}: what a request gets while the
   *     shared bucket store (Redis) cannot be reached
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(List<TargetRef> targetRefs, String failureMode, List<Rule> rules) {
    public Spec {
      targetRefs =
          targetRefs == null ? List.of() : java.util.Collections.unmodifiableList(targetRefs);
      rules = rules == null ? List.of() : java.util.Collections.unmodifiableList(rules);
    }
  }

  /** Gateway API's LocalPolicyTargetReference: an HTTPRoute or an InferencePool, same namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TargetRef(String group, String kind, String name) {}

  /**
   * @param name names the rule in refusals, metrics and bucket keys; {@code rule-<index>} when
   *     absent
   * @param match which requests the rule counts; absent: all of them, in one bucket
   * @param cost the weights of {@code count: Cost}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rule(String name, Match match, List<Limit> limits, Cost cost) {
    public Rule {
      limits = limits == null ? List.of() : java.util.Collections.unmodifiableList(limits);
    }
  }

  /**
   * Each field: absent for any value (one bucket for all), an exact value (only requests with it),
   * or {@code "*"} (any value, one bucket per distinct value).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Match(String tenant, String objective, String model) {}

  /**
   * One budget: exactly one of {@code tokens} and {@code requests}, per {@code Minute}, {@code
   * Hour} or {@code Day}; {@code count} (tokens only): {@code Input}, {@code Output}, {@code Total}
   * (default) or {@code Cost}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Limit(Long tokens, Long requests, String per, String count) {}

  /**
   * {@code Cost} = uncached input × {@code input} + cached input × {@code cachedInput} + output ×
   * {@code output}; each weight defaults to 1.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cost(Double input, Double cachedInput, Double output) {}
}
