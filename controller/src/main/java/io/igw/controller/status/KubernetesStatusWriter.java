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
   * Routes and pools can have parents served by other controllers, and policies ancestors: their
   * entries are kept as they are, only ours (by controllerName) are replaced.
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> keepOthersParents(Map<String, Object> desired, Map<String, Object> current) {
    if (current == null) {
      return desired;
    }
    Map<String, Object> out = new LinkedHashMap<>(desired);
    for (String field : List.of("parents", "parent", "ancestors")) {
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

  /**
   * GatewayClass → gatewayclasses, Gateway → gateways, HTTPRoute → httproutes, InferencePool →
   * inferencepools, TokenRateLimitPolicy → tokenratelimitpolicies.
   */
  static String plural(String kind) {
    String lower = kind.toLowerCase();
    if (lower.endsWith("y") && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
      return lower.substring(0, lower.length() - 1) + "ies";
    }
    return lower.endsWith("s") ? lower + "es" : lower + "s";
  }

  /**
   * A copy of {@code desired} where every condition has a lastTransitionTime: the one of the same
   * condition in {@code current} (same type, in the entry for the same parent, ancestor or
   * listener) when its status did not change, else now.
   */
  static Map<String, Object> withTransitionTimes(
      Map<String, Object> desired, Map<String, Object> current) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    @SuppressWarnings("unchecked")
    Map<String, Object> out = (Map<String, Object>) stamp(desired, current, now);
    return out;
  }

  private static Object stamp(Object node, Object old, String now) {
    if (node instanceof Map<?, ?> map) {
      Map<?, ?> oldMap = old instanceof Map<?, ?> m ? m : Map.of();
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, stamp(v, oldMap.get(k), now)));
      if (out.containsKey("type") && out.containsKey("status") && out.containsKey("reason")) {
        boolean unchanged =
            Objects.equals(oldMap.get("type"), out.get("type"))
                && Objects.equals(oldMap.get("status"), out.get("status"))
                && oldMap.get("lastTransitionTime") != null;
        out.put("lastTransitionTime", unchanged ? oldMap.get("lastTransitionTime") : now);
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<?> oldList = old instanceof List<?> l ? l : List.of();
      return list.stream().map(v -> stamp(v, counterpart(v, oldList), now)).toList();
    }
    return node;
  }

  /**
   * The entry of {@code old} that stands for the same thing as {@code entry}: the condition of the
   * same type, the parent or ancestor of the same reference and controller, the listener of the
   * same name; null when there is none.
   */
  private static Object counterpart(Object entry, List<?> old) {
    if (!(entry instanceof Map<?, ?> map)) {
      return null;
    }
    for (String identity : List.of("type", "parentRef", "ancestorRef", "name")) {
      if (map.containsKey(identity)) {
        return old.stream()
            .filter(
                o ->
                    o instanceof Map<?, ?> m
                        && sameValue(m.get(identity), map.get(identity))
                        && sameValue(m.get("controllerName"), map.get("controllerName")))
            .findFirst()
            .orElse(null);
      }
    }
    return null;
  }

  private static boolean sameValue(Object a, Object b) {
    return Objects.equals(withoutTimes(a), withoutTimes(b));
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
