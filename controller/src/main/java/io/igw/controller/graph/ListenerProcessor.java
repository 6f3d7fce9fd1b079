package io.igw.controller.graph;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.igw.api.PoolEndpoints;
import io.igw.controller.graph.Graph.ListenerNode;
import io.igw.controller.graph.Graph.TlsCertificate;
import io.igw.controller.source.ClusterSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the listeners of one Gateway: protocol, port, hostname, allowed routes, TLS certificate.
 */
final class ListenerProcessor {
  private static final int MAX_PEM_BYTES = 64 * 1024;

  private final ValueValidator validator;

  ListenerProcessor(ValueValidator validator) {
    this.validator = validator;
  }

  List<ListenerNode> process(ClusterSnapshot snapshot, Gateway gateway) {
    Long gen = gateway.getMetadata().getGeneration();
    List<ListenerNode> nodes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Listener> listeners =
        gateway.getSpec().getListeners() == null ? List.of() : gateway.getSpec().getListeners();
    for (Listener l : listeners) {
      String problem = problem(l);
      String hostname = l.getHostname();
      String from = allowedFrom(l);
      Set<String> namespaces = "Selector".equals(from) ? selectedNamespaces(snapshot, l) : Set.of();
      TlsCertificate tls = null;
      List<Condition> conditions = new ArrayList<>();
      if (problem == null && !seen.add(l.getPort() + "/" + (hostname == null ? "" : hostname))) {
        conditions.add(
            Conditions.listenerConflicted(
                gen, "another listener has port " + l.getPort() + " and the same hostname"));
        problem = "conflicted";
      }
      if (problem == null && "HTTPS".equals(l.getProtocol())) {
        var cert = certificate(snapshot, gateway, l);
        if (cert instanceof String certProblem) {
          conditions.add(Conditions.listenerInvalidCertificate(gen, certProblem));
          problem = certProblem;
        } else {
          tls = (TlsCertificate) cert;
        }
      }
      if (problem == null) {
        conditions.add(Conditions.listenerAccepted(gen));
        conditions.add(Conditions.listenerResolvedRefs(gen));
        conditions.add(Conditions.listenerProgrammed(gen));
      } else if (conditions.isEmpty()) {
        conditions.add(
            "HTTP".equals(l.getProtocol()) || "HTTPS".equals(l.getProtocol())
                ? Conditions.listenerInvalid(gen, problem)
                : Conditions.listenerUnsupportedProtocol(gen, String.valueOf(l.getProtocol())));
      }
      nodes.add(
          new ListenerNode(
              l.getName(),
              l.getPort() == null ? 0 : l.getPort(),
              l.getProtocol(),
              hostname,
              problem == null,
              List.copyOf(conditions),
              from,
              namespaces,
              tls,
              0));
    }
    return List.copyOf(nodes);
  }

  private String problem(Listener l) {
    if (!"HTTP".equals(l.getProtocol()) && !"HTTPS".equals(l.getProtocol())) {
      return "protocol " + l.getProtocol() + " is not supported";
    }
    if (!validator.isPort(l.getPort())) {
      return "invalid port";
    }
    if (l.getHostname() != null && !validator.isHostname(l.getHostname())) {
      return "invalid hostname";
    }
    if (l.getAllowedRoutes() != null && l.getAllowedRoutes().getKinds() != null) {
      for (RouteGroupKind kind : l.getAllowedRoutes().getKinds()) {
        if (!"HTTPRoute".equals(kind.getKind())) {
          return "route kind " + kind.getKind() + " is not supported";
        }
      }
    }
    return null;
  }

  private static String allowedFrom(Listener l) {
    if (l.getAllowedRoutes() == null
        || l.getAllowedRoutes().getNamespaces() == null
        || l.getAllowedRoutes().getNamespaces().getFrom() == null) {
      return "Same";
    }
    return l.getAllowedRoutes().getNamespaces().getFrom();
  }

  private static Set<String> selectedNamespaces(ClusterSnapshot snapshot, Listener l) {
    var selector = l.getAllowedRoutes().getNamespaces().getSelector();
    Set<String> out = new TreeSet<>();
    if (selector == null) {
      return out;
    }
    for (Namespace ns : snapshot.namespaces().values()) {
      Map<String, String> labels = ns.getMetadata().getLabels();
      if (PoolEndpoints.matches(selector, labels)) {
        out.add(ns.getMetadata().getName());
      }
    }
    return out;
  }

  /** The listener's certificate, or a String saying why there is none. */
  private Object certificate(ClusterSnapshot snapshot, Gateway gateway, Listener l) {
    if (l.getTls() == null
        || l.getTls().getCertificateRefs() == null
        || l.getTls().getCertificateRefs().isEmpty()) {
      return "an HTTPS listener needs tls.certificateRefs";
    }
    if (l.getTls().getMode() != null && !"Terminate".equals(l.getTls().getMode())) {
      return "only TLS mode Terminate is supported";
    }
    SecretObjectReference ref = l.getTls().getCertificateRefs().get(0);
    String gwNs = gateway.getMetadata().getNamespace();
    String ns = ref.getNamespace() == null ? gwNs : ref.getNamespace();
    if (ref.getKind() != null && !"Secret".equals(ref.getKind())) {
      return "certificateRef kind " + ref.getKind() + " is not supported";
    }
    if (!ns.equals(gwNs)
        && !ReferenceGrants.allows(
            snapshot,
            GraphBuilder.GATEWAY_GROUP,
            "Gateway",
            gwNs,
            "",
            "Secret",
            ns,
            ref.getName())) {
      return "certificateRef to namespace " + ns + " is not allowed by a ReferenceGrant";
    }
    Secret secret = snapshot.secrets().get(ns + "/" + ref.getName());
    if (secret == null || secret.getData() == null) {
      return "Secret " + ns + "/" + ref.getName() + " not found";
    }
    String cert = decode(secret.getData().get("tls.crt"));
    String key = decode(secret.getData().get("tls.key"));
    if (cert == null
        || key == null
        || !cert.contains("-----BEGIN CERTIFICATE-----")
        || !key.contains("PRIVATE KEY-----")) {
      return "Secret " + ns + "/" + ref.getName() + " has no PEM tls.crt and tls.key";
    }
    return new TlsCertificate(ns + "_" + ref.getName(), cert, key);
  }

  private static String decode(String base64) {
    if (base64 == null || base64.length() > MAX_PEM_BYTES * 2) {
      return null;
    }
    try {
      return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
