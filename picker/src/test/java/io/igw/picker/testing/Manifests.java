package io.igw.picker.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.igw.api.manifest.ManifestReader;
import java.util.List;

/** YAML manifests for tests. */
public final class Manifests {
  private Manifests() {}

  public static List<HasMetadata> read(String yaml) {
    return new ManifestReader().readString("test", yaml);
  }

  /** A v1 pool selecting {@code app=<name>} with the given target ports. */
  public static String pool(String name, int... ports) {
    StringBuilder targetPorts = new StringBuilder();
    for (int port : ports) {
      targetPorts.append("  - number: ").append(port).append('\n');
    }
    return """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: %s}}
          targetPorts:
        %s---
        """
        .formatted(name, name, targetPorts);
  }

  public static String pod(String name, String app, String ip, boolean ready) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default, labels: {app: %s}}
        spec: {containers: [{name: vllm, image: simulated}]}
        status:
          podIP: %s
          conditions: [{type: Ready, status: "%s"}]
        ---
        """
        .formatted(name, app, ip, ready ? "True" : "False");
  }
}
