package io.igw.controller.render;

import io.igw.controller.model.FailureMode;
import io.igw.controller.model.MatchConditions;
import io.igw.controller.model.PickerMode;
import io.igw.controller.model.Redirect;
import io.igw.controller.model.RouteCandidate;
import io.igw.controller.model.RouteLocation;
import io.igw.controller.model.WeightedBackend;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The values the controller renders for njs, in the format docs/njs-contract.md describes and
 * njs/controller_values.js reads: the one place Java writes them.
 */
public final class NjsValues {
  /** {@code version} of {@code $igw_route}; njs refuses any other. */
  public static final int ROUTE_VERSION = 1;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private NjsValues() {}

  /**
   * {@code $igw_route}: the location's rules as JSON, without a {@code $} anywhere (written {@code
   * \u0024}, which JSON reads back as the same string), so NGINX, which expands variables in {@code
   * set}, keeps it as it is.
   */
  public static String route(RouteLocation location) {
    ObjectNode route = JSON.createObjectNode().put("version", ROUTE_VERSION);
    var rules = route.putArray("rules");
    for (RouteCandidate candidate : location.candidates()) {
      ObjectNode rule = rules.addObject();
      if (!candidate.conditions().isEmpty()) {
        conditions(rule.putObject("when"), candidate.conditions());
      }
      if (candidate.redirects()) {
        redirect(rule.putObject("redirect"), candidate.redirect());
      } else {
        var backends = rule.putArray("backends");
        candidate.backends().forEach(b -> backend(backends.addObject(), b));
      }
    }
    // '$' occurs in JSON only inside strings, where \u0024 means the same character
    return JSON.writeValueAsString(route).replace("$", "\\u0024");
  }

  /**
   * The key of {@code $igw_pick_check}'s map: njs asks it "is this endpoint one of this pool's?".
   */
  public static String poolEndpointKey(String pool, String address) {
    return pool + " " + address;
  }

  public static String picker(PickerMode mode) {
    return switch (mode) {
      case IN_PROCESS -> "in-process";
      case BRIDGE -> "bridge";
      case UNAVAILABLE -> "unavailable";
    };
  }

  public static String failureMode(FailureMode mode) {
    return switch (mode) {
      case FAIL_OPEN -> "FailOpen";
      case FAIL_CLOSE -> "FailClose";
    };
  }

  private static void conditions(ObjectNode when, MatchConditions conditions) {
    if (conditions.method() != null) {
      when.put("method", conditions.method());
    }
    strings(when.putObject("headers"), conditions.headers());
    strings(when.putObject("query"), conditions.query());
  }

  private static void strings(ObjectNode out, Map<String, String> values) {
    values.forEach(out::put);
  }

  private static void redirect(ObjectNode out, Redirect redirect) {
    out.put("status", redirect.status());
    if (redirect.scheme() != null) {
      out.put("scheme", redirect.scheme());
    }
    if (redirect.hostname() != null) {
      out.put("host", redirect.hostname());
    }
    if (redirect.port() != null) {
      out.put("port", redirect.port());
    }
    if (redirect.path() != null) {
      out.put("path", redirect.path());
    }
  }

  private static void backend(ObjectNode out, WeightedBackend backend) {
    out.put("weight", backend.weight());
    if (!backend.resolved()) {
      return;
    }
    out.put("location", "@" + backend.rule().id());
    out.put("pool", backend.rule().pool().name());
    out.put("picker", picker(backend.rule().pool().picker()));
    out.put("failureMode", failureMode(backend.rule().pool().failureMode()));
  }
}
