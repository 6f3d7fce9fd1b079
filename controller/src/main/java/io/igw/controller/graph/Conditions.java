package io.igw.controller.graph;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Every condition the controller writes, by name: status is written from the graph, never computed
 * twice.
 */
public final class Conditions {
  private Conditions() {}

  public static Condition of(
      String type, boolean status, String reason, String message, Long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  // GatewayClass
  public static Condition classAccepted(Long gen) {
    return of("Accepted", true, "Accepted", "GatewayClass is accepted", gen);
  }

  // Gateway
  public static Condition gatewayAccepted(Long gen) {
    return of("Accepted", true, "Accepted", "Gateway is accepted", gen);
  }

  public static Condition gatewayProgrammed(Long gen) {
    return of("Programmed", true, "Programmed", "Gateway is programmed", gen);
  }

  public static Condition gatewayNotProgrammed(Long gen, String message) {
    return of("Programmed", false, "Invalid", message, gen);
  }

  public static Condition gatewayInvalidClass(Long gen) {
    return of("Accepted", false, "InvalidParameters", "GatewayClass is not accepted", gen);
  }

  // Listener
  public static Condition listenerAccepted(Long gen) {
    return of("Accepted", true, "Accepted", "Listener is accepted", gen);
  }

  public static Condition listenerProgrammed(Long gen) {
    return of("Programmed", true, "Programmed", "Listener is programmed", gen);
  }

  public static Condition listenerResolvedRefs(Long gen) {
    return of("ResolvedRefs", true, "ResolvedRefs", "All references are resolved", gen);
  }

  public static Condition listenerUnsupportedProtocol(Long gen, String protocol) {
    return of(
        "Accepted",
        false,
        "UnsupportedProtocol",
        "protocol " + protocol + " is not supported",
        gen);
  }

  public static Condition listenerInvalid(Long gen, String message) {
    return of("Accepted", false, "UnsupportedValue", message, gen);
  }

  public static Condition listenerInvalidCertificate(Long gen, String message) {
    return of("ResolvedRefs", false, "InvalidCertificateRef", message, gen);
  }

  public static Condition listenerConflicted(Long gen, String message) {
    return of("Conflicted", true, "HostnameConflict", message, gen);
  }

  // HTTPRoute parent
  public static Condition routeAccepted(Long gen) {
    return of("Accepted", true, "Accepted", "Route is accepted", gen);
  }

  public static Condition routeNoMatchingParent(Long gen, String message) {
    return of("Accepted", false, "NoMatchingParent", message, gen);
  }

  public static Condition routeNotAllowedByListeners(Long gen) {
    return of(
        "Accepted",
        false,
        "NotAllowedByListeners",
        "no listener of the parent allows this route",
        gen);
  }

  public static Condition routeNoMatchingListenerHostname(Long gen) {
    return of(
        "Accepted",
        false,
        "NoMatchingListenerHostname",
        "no listener hostname matches the route",
        gen);
  }

  public static Condition routeUnsupportedValue(Long gen, String message) {
    return of("Accepted", false, "UnsupportedValue", message, gen);
  }

  public static Condition routeResolvedRefs(Long gen) {
    return of("ResolvedRefs", true, "ResolvedRefs", "All references are resolved", gen);
  }

  public static Condition routeBackendNotFound(Long gen, String message) {
    return of("ResolvedRefs", false, "BackendNotFound", message, gen);
  }

  public static Condition routeRefNotPermitted(Long gen, String message) {
    return of("ResolvedRefs", false, "RefNotPermitted", message, gen);
  }

  public static Condition routeInvalidKind(Long gen, String message) {
    return of("ResolvedRefs", false, "InvalidKind", message, gen);
  }

  // InferencePool parent
  public static Condition poolAccepted(Long gen) {
    return of("Accepted", true, "Accepted", "InferencePool is accepted by the Gateway", gen);
  }

  public static Condition poolResolvedRefs(Long gen) {
    return of("ResolvedRefs", true, "ResolvedRefs", "endpointPickerRef is resolved", gen);
  }

  public static Condition poolInvalidExtensionRef(Long gen, String message) {
    return of("ResolvedRefs", false, "InvalidExtensionRef", message, gen);
  }

  public static Condition poolInvalid(Long gen, String message) {
    return of("Accepted", false, "Invalid", message, gen);
  }

  // TokenRateLimitPolicy ancestor (a target HTTPRoute or InferencePool)
  public static Condition policyAccepted(Long gen, String message) {
    return of("Accepted", true, "Accepted", message, gen);
  }

  public static Condition policyInvalid(Long gen, String message) {
    return of("Accepted", false, "Invalid", message, gen);
  }

  public static Condition policyTargetNotFound(Long gen, String message) {
    return of("Accepted", false, "TargetNotFound", message, gen);
  }
}
