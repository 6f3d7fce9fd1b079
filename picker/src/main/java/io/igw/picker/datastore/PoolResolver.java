package io.igw.picker.datastore;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.igw.api.InferencePool;
import io.igw.api.InferencePoolSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Resolves pools to endpoints: every ready pod of the pool's namespace that its selector matches,
 * times every target port. Pure: the same resources always give the same definitions, endpoints
 * ordered by pod name.
 */
public final class PoolResolver {
  private PoolResolver() {}

  /** Pools (v1 and v1alpha2) and pods from a mixed list of resources; other kinds are ignored. */
  public static List<PoolDefinition> resolve(Collection<? extends HasMetadata> resources) {
    List<InferencePool> pools = new ArrayList<>();
    List<Pod> pods = new ArrayList<>();
    for (HasMetadata r : resources) {
      if (r instanceof InferencePool p) {
        pools.add(p);
      } else if (r instanceof io.igw.api.v1alpha2.InferencePool old) {
        pools.add(old.toV1());
      } else if (r instanceof Pod pod) {
        pods.add(pod);
      }
    }
    return resolve(pools, pods);
  }

  public static List<PoolDefinition> resolve(
      Collection<InferencePool> pools, Collection<Pod> pods) {
    List<Pod> sorted =
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    List<PoolDefinition> out = new ArrayList<>();
    for (InferencePool pool : pools) {
      out.add(resolvePool(pool, sorted));
    }
    return out;
  }

  private static PoolDefinition resolvePool(InferencePool pool, List<Pod> pods) {
    PoolName name = new PoolName(namespaceOf(pool), pool.getMetadata().getName());
    InferencePoolSpec spec = pool.getSpec();
    List<Endpoint> endpoints = new ArrayList<>();
    if (spec != null && spec.selector() != null && !isEmpty(spec.selector())) {
      for (Pod pod : pods) {
        if (namespaceOf(pod).equals(name.namespace())
            && isReady(pod)
            && matches(spec.selector(), labels(pod))) {
          addEndpoints(name, spec, pod, endpoints);
        }
      }
    }
    return new PoolDefinition(name, spec, endpoints);
  }

  private static void addEndpoints(
      PoolName pool, InferencePoolSpec spec, Pod pod, List<Endpoint> out) {
    String ip = pod.getStatus().getPodIP();
    String engine = labels(pod).get(Endpoint.ENGINE_LABEL);
    for (InferencePoolSpec.Port port : spec.targetPorts()) {
      if (port != null && port.number() != null && port.number() > 0 && port.number() < 65536) {
        out.add(Endpoint.of(pool, pod.getMetadata().getName(), ip, port.number(), engine));
      }
    }
  }

  /** Ready: has an IP, is not being deleted, and its Ready condition is True. */
  public static boolean isReady(Pod pod) {
    if (pod.getStatus() == null
        || pod.getStatus().getPodIP() == null
        || pod.getStatus().getPodIP().isBlank()) {
      return false;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> false;
    };
  }

  private static boolean isEmpty(LabelSelector selector) {
    return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }

  private static Map<String, String> labels(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static String namespaceOf(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? PoolName.DEFAULT_NAMESPACE : ns;
  }
}
