package io.igw.api.v1alpha2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * The older {@code inference.networking.x-k8s.io/v1alpha2} InferencePool: a plain selector map, one
 * target port and an {@code extensionRef}. {@link #toV1()} converts it to the v1 shape everything
 * else uses.
 */
@Group(InferencePool.GROUP)
@Version(InferencePool.VERSION)
@Kind(InferencePool.KIND)
public class InferencePool
    extends CustomResource<InferencePool.Spec, io.igw.api.InferencePoolStatus>
    implements Namespaced {
  public static final String GROUP = "inference.networking.x-k8s.io";
  public static final String VERSION = "v1alpha2";
  public static final String KIND = "InferencePool";
  public static final int DEFAULT_EXTENSION_PORT = 9002;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Spec(
      Map<String, String> selector, Integer targetPortNumber, ExtensionRef extensionRef) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ExtensionRef(
      String group, String kind, String name, Integer portNumber, String failureMode) {}

  public io.igw.api.InferencePool toV1() {
    var v1 = new io.igw.api.InferencePool();
    v1.setMetadata(getMetadata());
    Spec s = getSpec();
    if (s == null) {
      return v1;
    }
    var selector = new io.fabric8.kubernetes.api.model.LabelSelector(null, s.selector());
    var ports =
        s.targetPortNumber() == null
            ? java.util.List.<io.igw.api.InferencePoolSpec.Port>of()
            : java.util.List.of(new io.igw.api.InferencePoolSpec.Port(s.targetPortNumber()));
    io.igw.api.InferencePoolSpec.EndpointPickerRef ref = null;
    if (s.extensionRef() != null) {
      ExtensionRef e = s.extensionRef();
      int port = e.portNumber() == null ? DEFAULT_EXTENSION_PORT : e.portNumber();
      ref =
          new io.igw.api.InferencePoolSpec.EndpointPickerRef(
              e.group(),
              e.kind(),
              e.name(),
              new io.igw.api.InferencePoolSpec.Port(port),
              e.failureMode());
    }
    v1.setSpec(new io.igw.api.InferencePoolSpec(selector, ports, null, ref));
    v1.setStatus(getStatus());
    return v1;
  }
}
