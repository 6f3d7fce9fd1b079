package io.igw.controller.graph;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.igw.api.InferencePool;
import io.igw.api.TokenRateLimitPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gateways of igw's classes, the routes attached to them and the pools those routes use, each with
 * its conditions. Invalid resources stay in the graph with {@code valid=false}, so status can say
 * why. TokenRateLimitPolicies are in it for their status only.
 */
public record Graph(
    Map<String, ClassNode> classes,
    Map<String, GatewayNode> gateways,
    Map<String, RouteNode> routes,
    Map<String, PoolNode> pools,
    Map<String, PolicyNode> policies) {

  public record ClassNode(GatewayClass source, List<Condition> conditions) {}

  public record GatewayNode(
      Gateway source, boolean valid, List<Condition> conditions, List<ListenerNode> listeners) {
    public String key() {
      return source.getMetadata().getNamespace() + "/" + source.getMetadata().getName();
    }
  }

  /**
   * @param allowedNamespaces "Same", "All", or the namespaces a selector allowed
   * @param tls the certificate for HTTPS listeners, else null
   */
  public record ListenerNode(
      String name,
      int port,
      String protocol,
      String hostname,
      boolean valid,
      List<Condition> conditions,
      String allowedFrom,
      Set<String> allowedNamespaces,
      TlsCertificate tls,
      int attachedRoutes) {
    public ListenerNode withAttachedRoutes(int count) {
      return new ListenerNode(
          name,
          port,
          protocol,
          hostname,
          valid,
          conditions,
          allowedFrom,
          allowedNamespaces,
          tls,
          count);
    }
  }

  /** A certificate and key (PEM) from a kubernetes.io/tls Secret; {@code id} names its files. */
  public record TlsCertificate(String id, String certificatePem, String keyPem) {}

  public record RouteNode(HTTPRoute source, List<ParentNode> parents, List<RuleNode> rules) {
    public String key() {
      return source.getMetadata().getNamespace() + "/" + source.getMetadata().getName();
    }

    public boolean acceptedBy(String gatewayKey) {
      return parents.stream().anyMatch(p -> p.accepted() && gatewayKey.equals(p.gatewayKey()));
    }
  }

  /**
   * One parentRef of a route: which gateway and listeners it attached to, and why not when it did
   * not.
   */
  public record ParentNode(
      ParentReference ref,
      String gatewayKey,
      List<String> listeners,
      boolean accepted,
      List<Condition> conditions) {}

  public record RuleNode(
      int index, List<PathMatch> matches, List<BackendNode> backends, List<FilterNode> filters) {}

  /**
   * One match of a rule: the path ({@code type} Exact or PathPrefix) and the conditions NGINX
   * cannot express in a location (method, exact header and query-parameter values), which njs
   * checks.
   */
  public record PathMatch(
      String type,
      String value,
      String method,
      Map<String, String> headers,
      Map<String, String> queryParams) {
    public PathMatch(String type, String value) {
      this(type, value, null, Map.of(), Map.of());
    }

    public boolean conditional() {
      return method != null || !headers.isEmpty() || !queryParams.isEmpty();
    }
  }

  /**
   * A backendRef: the pool's key when it resolved, else {@code problem} says why (the share gets a
   * 500).
   */
  public record BackendNode(String poolKey, int weight, String problem) {
    public boolean resolved() {
      return problem == null;
    }
  }

  /**
   * A route filter. {@code type}: RequestHeaderModifier (set/add/remove), URLRewrite (path or
   * hostname), RequestRedirect (scheme, hostname, port, path, statusCode).
   */
  public record FilterNode(
      String type,
      Map<String, String> set,
      Map<String, String> add,
      List<String> remove,
      String pathType,
      String path,
      String hostname,
      String scheme,
      Integer port,
      Integer statusCode) {}

  /**
   * @param endpoints ip:port of every ready pod × target port
   * @param pickerAvailable whether the pool can be picked at all: false when the pool or its
   *     endpointPickerRef is invalid (its requests fail open or closed)
   * @param foreignEpp the endpointPickerRef names an EPP other than igw's picker, which the picker
   *     reaches over ext_proc ("bridge")
   * @param parents gateways whose routes use the pool
   */
  public record PoolNode(
      InferencePool source,
      List<String> endpoints,
      boolean failOpen,
      boolean pickerAvailable,
      boolean foreignEpp,
      List<Condition> conditions,
      Set<String> parents,
      String appProtocol) {
    public String key() {
      return source.getMetadata().getNamespace() + "/" + source.getMetadata().getName();
    }
  }

  /** A TokenRateLimitPolicy and its verdict on each of its targets. */
  public record PolicyNode(TokenRateLimitPolicy source, List<AncestorNode> ancestors) {}

  /**
   * One target of a policy (Gateway API's ancestor in the policy's status), as the policy names it,
   * in the policy's namespace; {@code accepted}: its Accepted condition.
   */
  public record AncestorNode(
      String group, String kind, String namespace, String name, Condition accepted) {}

  /** Helper for callers that only need the parent refs of a route as written. */
  public static List<ParentReference> parentRefs(HTTPRoute route) {
    return route.getSpec() == null || route.getSpec().getParentRefs() == null
        ? List.of()
        : route.getSpec().getParentRefs();
  }
}
