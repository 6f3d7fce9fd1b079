package io.igw.bench.live;

/**
 * The manifests of the live cluster: Gateway, HTTPRoute to one InferencePool, a Ready Pod per
 * server, objectives.
 */
final class LiveManifests {
  static final String POOL = "bench-pool";

  private LiveManifests() {}

  static String render(LiveSettings s) {
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
        metadata: {name: bench-gateway, namespace: default}
        spec:
          gatewayClassName: igw
          listeners: [{name: http, protocol: HTTP, port: 8080}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: bench-route, namespace: default}
        spec:
          parentRefs: [{name: bench-gateway}]
          rules:
          - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: %s}]
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: %s, namespace: default}
        spec:
          selector: {matchLabels: {app: bench-sim}}
          targetPorts: [{number: %d}]
          endpointPickerRef: {name: igw-picker, port: {number: 9002}, failureMode: FailClose}
        """
                .formatted(POOL, POOL, s.serverPort()));
    for (int i = 0; i < s.servers(); i++) {
      yaml.append(
          """
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: bench-sim-%d, namespace: default, labels: {app: bench-sim}}
          spec: {containers: [{name: vllm, image: simulated}]}
          status:
            podIP: %s
            conditions: [{type: Ready, status: "True"}]
          """
              .formatted(i, s.serverIp(i)));
    }
    for (LiveSettings.Objective o : s.objectives()) {
      yaml.append(
          """
          ---
          apiVersion: inference.networking.x-k8s.io/v1alpha2
          kind: InferenceObjective
          metadata: {name: %s, namespace: default}
          spec:
            priority: %d
            poolRef: {group: inference.networking.k8s.io, name: %s}
          """
              .formatted(o.name(), o.priority(), POOL));
    }
    return yaml.toString();
  }
}
