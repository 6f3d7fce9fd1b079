package io.igw.controller.graph;

import io.fabric8.kubernetes.api.model.Condition;
import io.igw.api.InferencePool;
import io.igw.api.InferencePoolSpec;
import io.igw.api.OwnPickerService;
import io.igw.api.PoolEndpoints;
import io.igw.controller.graph.Graph.PoolNode;
import io.igw.controller.source.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks one InferencePool used by our routes: selector and ports, its endpoints, and how picks are
 * served. A pool without endpointPickerRef, or whose ref names igw's own picker Service ({@link
 * OwnPickerService}), is served by the in-process picker; a ref to another existing Service is a
 * foreign EPP, which the picker reaches over ext_proc ("bridge"); a ref to a Service that does not
 * exist is InvalidExtensionRef and its requests get a 5xx.
 */
final class PoolProcessor {
  private final ValueValidator validator;
  private final String inProcessPickerService;

  /**
   * @param inProcessPickerService igw's own picker Service: "namespace/name", or a name that stands
   *     for it in every namespace; null when there is none
   */
  PoolProcessor(ValueValidator validator, String inProcessPickerService) {
    this.validator = validator;
    this.inProcessPickerService = inProcessPickerService;
  }

  PoolNode process(ClusterSnapshot snapshot, InferencePool pool, Set<String> parents) {
    Long gen = pool.getMetadata().getGeneration();
    InferencePoolSpec spec = pool.getSpec();
    List<String> endpoints = new ArrayList<>();
    String problem = null;
    if (spec == null || spec.selector() == null || spec.targetPorts().isEmpty()) {
      problem = "spec.selector and spec.targetPorts are required";
    } else if (spec.targetPorts().size() > 8
        || !spec.targetPorts().stream().allMatch(p -> p != null && validator.isPort(p.number()))) {
      problem = "targetPorts must be 1 to 8 valid ports";
    } else {
      for (String address : PoolEndpoints.of(pool, snapshot.podList())) {
        String ip =
            address.startsWith("[")
                ? address.substring(1, address.indexOf(']'))
                : address.substring(0, address.lastIndexOf(':'));
        if (validator.isIp(ip)) {
          endpoints.add(address);
        }
      }
    }
    var ref = spec == null ? null : spec.endpointPickerRef();
    boolean failOpen = ref != null && ref.failOpen();
    boolean refResolved = true;
    boolean foreignEpp = false;
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        problem == null ? Conditions.poolAccepted(gen) : Conditions.poolInvalid(gen, problem));
    String refProblem = extensionRefProblem(snapshot, pool, ref);
    if (refProblem != null) {
      refResolved = false;
      conditions.add(Conditions.poolInvalidExtensionRef(gen, refProblem));
    } else {
      conditions.add(Conditions.poolResolvedRefs(gen));
      foreignEpp =
          !OwnPickerService.picks(inProcessPickerService, pool.getMetadata().getNamespace(), ref);
    }
    String appProtocol =
        spec == null || spec.appProtocol() == null
            ? InferencePoolSpec.APP_PROTOCOL_HTTP
            : spec.appProtocol();
    return new PoolNode(
        pool,
        List.copyOf(endpoints),
        failOpen,
        problem == null && refResolved,
        foreignEpp,
        List.copyOf(conditions),
        Set.copyOf(parents),
        appProtocol);
  }

  private String extensionRefProblem(
      ClusterSnapshot snapshot, InferencePool pool, InferencePoolSpec.EndpointPickerRef ref) {
    if (ref == null) {
      return null;
    }
    String kind = ref.kind() == null ? "Service" : ref.kind();
    if (!"Service".equals(kind) || (ref.group() != null && !ref.group().isEmpty())) {
      return "endpointPickerRef kind " + RouteRuleProcessor.printable(kind) + " is not supported";
    }
    if (ref.port() == null || !validator.isPort(ref.port().number())) {
      return "endpointPickerRef.port is required for a Service";
    }
    String key = pool.getMetadata().getNamespace() + "/" + ref.name();
    if (OwnPickerService.picks(inProcessPickerService, pool.getMetadata().getNamespace(), ref)) {
      return null;
    }
    var service = snapshot.services().get(key);
    if (service == null) {
      return "endpoint picker Service " + RouteRuleProcessor.printable(key) + " not found";
    }
    if (service.getSpec() != null && "ExternalName".equals(service.getSpec().getType())) {
      return "an ExternalName Service cannot be an endpoint picker";
    }
    return null;
  }
}
