package io.igw.controller.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.igw.controller.log.EventLog;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Writes status through the Kubernetes API, only where it changed and only while this replica
 * leads. A condition keeps its {@code lastTransitionTime} unless its status changed.
 */
public final class KubernetesStatusWriter implements StatusSink {
  private final KubernetesClient client;
  private final BooleanSupplier leading;
  private final EventLog log;

  private final String controllerName;

  public KubernetesStatusWriter(
      KubernetesClient client, String controllerName, BooleanSupplier leading, EventLog log) {
    this.client = client;
    this.controllerName = controllerName;
    this.leading = leading;
    this.log = log;
  }

  @Override
  public String describe() {
    return "kubernetes";
  }

  @Override
  public int publish(List<ResourceStatus> statuses) {
    if (!leading.getAsBoolean()) {
      return 0;
    }
    int written = 0;
    for (ResourceStatus desired : statuses) {
      try {
        if (write(desired)) {
          written++;
        }
      } catch (KubernetesClientException e) {
        log.warn(
            "status_write_failed",
            "kind",
            desired.kind(),
            "resource",
            desired.key(),
            "code",
            e.getCode(),
            "reason",
            e.getMessage());
      }
    }
    return written;
  }

  private boolean write(ResourceStatus desired) {
    var resource = client.genericKubernetesResources(context(desired));
    String[] nsName = desired.key().split("/", 2);
    var ref =
        nsName.length == 2
            ? resource.inNamespace(nsName[0]).withName(nsName[1])
            : resource.withName(nsName[0]);
    GenericKubernetesResource current = ref.get();
    if (current == null) {
      return false;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> currentStatus =
        (Map<String, Object>) current.getAdditionalProperties().get("status");
    Map<String, Object> next =
        withTransitionTimes(keepOthersParents(desired.status(), currentStatus), currentStatus);
    if (withoutTimes(next).equals(withoutTimes(currentStatus))) {
      return false;
    }
    current.setAdditionalProperty("status", next);
    ref.updateStatus(current);
    return true;
  }

  private static ResourceDefinitionContext context(ResourceStatus status) {
    String[] groupVersion = status.apiVersion().split("/", 2);
    boolean clusterScoped = "GatewayClass".equals(status.kind());
    return new ResourceDefinitionContext.Builder()
        .withGroup(groupVersion[0])
        .withVersion(groupVersion[1])
        .withKind(status.kind())
        .withPlural(plural(status.kind()))
        .withNamespaced(!clusterScoped)
        .build();
  }

  /**
   * Routes and pools can have parents served by other controllers: their entries are kept as they
   * are, only ours (by controllerName) are replaced.
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> keepOthersParents(Map<String, Object> desired, Map<String, Object> current) {
    if (current == null) {
      return desired;
    }
    Map<String, Object> out = new LinkedHashMap<>(desired);
    for (String field : List.of("parents", "parent")) {
      if (!desired.containsKey(field) || !(current.get(field) instanceof List<?> existing)) {
        continue;
      }
      List<Object> merged = new ArrayList<>();
      for (Object entry : existing) {
        if (entry instanceof Map<?, ?> m && !controllerName.equals(m.get("controllerName"))) {
          merged.add(entry);
        }
      }
      merged.addAll((List<Object>) desired.get(field));
      out.put(field, merged);
    }
    return out;
  }

  /** GatewayClass → gatewayclasses, HTTPRoute → httproutes, InferencePool → inferencepools. */
  static String plural(String kind) {
    String lower = kind.toLowerCase();
    return lower.endsWith("s") ? lower + "es" : lower + "s";
  }

  /**
   * Copies of {@code status} where every condition has a lastTransitionTime: the old one when
   * unchanged.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withTransitionTimes(
      Map<String, Object> desired, Map<String, Object> current) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Map<String, Object>> oldConditions = new ArrayList<>();
    collectConditions(current, oldConditions);
    return (Map<String, Object>) stamp(desired, oldConditions, now);
  }

  @SuppressWarnings("unchecked")
  private static Object stamp(Object node, List<Map<String, Object>> old, String now) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, stamp(v, old, now)));
      if (out.containsKey("type") && out.containsKey("status") && out.containsKey("reason")) {
        String time =
            old.stream()
                .filter(
                    c ->
                        Objects.equals(c.get("type"), out.get("type"))
                            && Objects.equals(c.get("status"), out.get("status")))
                .map(c -> (String) c.get("lastTransitionTime"))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(now);
        out.put("lastTransitionTime", time);
      }
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(v -> stamp(v, old, now)).toList();
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static void collectConditions(Object node, List<Map<String, Object>> out) {
    if (node instanceof Map<?, ?> map) {
      if (map.containsKey("type")
          && map.containsKey("status")
          && map.containsKey("lastTransitionTime")) {
        out.add((Map<String, Object>) map);
      }
      map.values().forEach(v -> collectConditions(v, out));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collectConditions(v, out));
    }
  }

  private static Object withoutTimes(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            if (!"lastTransitionTime".equals(k)) {
              out.put(k, withoutTimes(v));
            }
          });
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(KubernetesStatusWriter::withoutTimes).toList();
    }
    if (node instanceof Number n) {
      return n.longValue();
    }
    return node;
  }
}
