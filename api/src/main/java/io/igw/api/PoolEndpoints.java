package io.igw.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The endpoints of an InferencePool: {@code podIP:port} for every ready pod in the pool's namespace
 * that matches its selector, times every target port, in a stable order (pod name, then port
 * order).
 */
public final class PoolEndpoints {
  private PoolEndpoints() {}

  public static List<String> of(InferencePool pool, Collection<Pod> pods) {
    if (pool.getSpec() == null || pool.getSpec().selector() == null) {
      return List.of();
    }
    String namespace = pool.getMetadata().getNamespace();
    List<Pod> selected =
        pods.stream()
            .filter(p -> Objects.equals(namespace, p.getMetadata().getNamespace()))
            .filter(p -> matches(pool.getSpec().selector(), p.getMetadata().getLabels()))
            .filter(PoolEndpoints::isReady)
            .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    List<String> endpoints = new ArrayList<>();
    for (Pod pod : selected) {
      for (InferencePoolSpec.Port port : pool.getSpec().targetPorts()) {
        if (port != null && port.number() != null) {
          endpoints.add(address(pod.getStatus().getPodIP(), port.number()));
        }
      }
    }
    return List.copyOf(endpoints);
  }

  public static String address(String ip, int port) {
    return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
  }

  public static boolean isReady(Pod pod) {
    if (pod.getStatus() == null
        || pod.getStatus().getPodIP() == null
        || pod.getStatus().getPodIP().isBlank()) {
      return false;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    var conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Kubernetes label-selector semantics; an empty selector matches nothing here (a pool must
   * select).
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> have = labels == null ? Map.of() : labels;
    Map<String, String> want =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    List<LabelSelectorRequirement> exprs =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    if (want.isEmpty() && exprs.isEmpty()) {
      return false;
    }
    for (var e : want.entrySet()) {
      if (!e.getValue().equals(have.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : exprs) {
      if (!matches(r, have)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> labels.containsKey(r.getKey()) && values.contains(labels.get(r.getKey()));
      case "NotIn" -> !labels.containsKey(r.getKey()) || !values.contains(labels.get(r.getKey()));
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }
}
