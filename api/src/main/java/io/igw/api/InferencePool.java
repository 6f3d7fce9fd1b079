package io.igw.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * InferencePool, {@code inference.networking.k8s.io/v1}: a set of model-server pods behind one
 * endpoint picker.
 */
@Group(InferencePool.GROUP)
@Version(InferencePool.VERSION)
@Kind(InferencePool.KIND)
public class InferencePool extends CustomResource<InferencePoolSpec, InferencePoolStatus>
    implements Namespaced {
  public static final String GROUP = "inference.networking.k8s.io";
  public static final String VERSION = "v1";
  public static final String KIND = "InferencePool";
  public static final String API_VERSION = GROUP + "/" + VERSION;
}
