package io.igw.bench.faults;

/**
 * The fault cluster's manifests: one route whose rules choose a pool by the {@code x-bench-pool}
 * header, three pools over the same five pods: close (FailClose, the default rule), open (FailOpen)
 * and foreign (FailOpen, its endpointPickerRef names the second picker's ext_proc Service, so igw's
 * picker bridges to it).
 */
final class FaultManifests {
  static final String FOREIGN_POOL = "default/foreign";
  static final String FOREIGN_EPP_SERVICE = "foreign-epp";

  private FaultManifests() {}

  static String render() {
    StringBuilder yaml =
        new StringBuilder(
            """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: igw}
        spec: {controllerName: igw.io/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: faults-gateway, namespace: default}
        spec:
          gatewayClassName: igw
          listeners: [{name: http, protocol: HTTP, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: faults-route, namespace: default}
        spec:
          parentRefs: [{name: faults-gateway}]
          rules:
          - matches: [{headers: [{name: x-bench-pool, value: open}]}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: open}]
          - matches: [{headers: [{name: x-bench-pool, value: foreign}]}]
            backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: foreign}]
          - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: close}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: default}
        spec: {clusterIP: 127.0.0.1, ports: [{port: %d}]}
        """
                .formatted(FOREIGN_EPP_SERVICE, FaultCluster.FOREIGN_EXT_PROC_PORT));
    pool(yaml, "close", "igw-picker", 9002, "FailClose");
    pool(yaml, "open", "igw-picker", 9002, "FailOpen");
    pool(yaml, "foreign", FOREIGN_EPP_SERVICE, FaultCluster.FOREIGN_EXT_PROC_PORT, "FailOpen");
    for (int i = 0; i <= FaultCluster.SERVERS; i++) {
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: fault-sim-%d, namespace: default, labels: {app: fault-sim}}
          spec: {containers: [{name: vllm, image: simulated}]}
          status:
            podIP: %s
            conditions: [{type: Ready, status: "True"}]
          """
              .formatted(i, FaultCluster.serverAddress(i).split(":")[0]));
    }
    return yaml.toString();
  }

  private static void pool(
      StringBuilder yaml, String name, String epp, int port, String failureMode) {
    yaml.append(
        """
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: fault-sim}}
          targetPorts: [{number: %d}]
          endpointPickerRef: {name: %s, port: {number: %d}, failureMode: %s}
        """
            .formatted(name, FaultCluster.SERVER_PORT, epp, port, failureMode));
  }
}
