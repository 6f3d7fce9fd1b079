package io.igw.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status of an InferencePool: one entry per parent (Gateway) that references it, at most 32. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class InferencePoolStatus {
  private List<ParentStatus> parents = new ArrayList<>();

  public List<ParentStatus> getParents() {
    return parents;
  }

  public void setParents(List<ParentStatus> parents) {
    this.parents = parents == null ? new ArrayList<>() : parents;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ParentStatus(
      ParentReference parentRef, String controllerName, List<Condition> conditions) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ParentReference(String group, String kind, String namespace, String name) {}
}
