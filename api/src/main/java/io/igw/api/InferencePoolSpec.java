package io.igw.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * Spec of a v1 InferencePool. {@code appProtocol} is {@code http} (default) or {@code
 * kubernetes.io/h2c}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InferencePoolSpec(
    LabelSelector selector,
    List<Port> targetPorts,
    String appProtocol,
    EndpointPickerRef endpointPickerRef) {

  public static final String APP_PROTOCOL_HTTP = "http";
  public static final String APP_PROTOCOL_H2C = "kubernetes.io/h2c";

  public InferencePoolSpec {
    targetPorts = targetPorts == null ? List.of() : List.copyOf(targetPorts);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Port(Integer number) {}

  /** Reference to the endpoint picker serving the pool; {@code kind} defaults to Service. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EndpointPickerRef(
      String group, String kind, String name, Port port, String failureMode) {
    public static final String FAIL_OPEN = "FailOpen";
    public static final String FAIL_CLOSE = "FailClose";

    public boolean failOpen() {
      return FAIL_OPEN.equals(failureMode);
    }
  }
}
