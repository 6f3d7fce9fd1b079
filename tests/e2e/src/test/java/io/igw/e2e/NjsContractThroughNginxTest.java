package io.igw.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.api.net.TestPorts;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.FailureMode;
import io.igw.controller.model.MatchConditions;
import io.igw.controller.model.PickerMode;
import io.igw.controller.model.PoolBlock;
import io.igw.controller.model.Redirect;
import io.igw.controller.model.RouteCandidate;
import io.igw.controller.model.RouteLocation;
import io.igw.controller.model.RuleBlock;
import io.igw.controller.model.WeightedBackend;
import io.igw.controller.render.LocationView;
import io.igw.stack.NginxProcess;
import io.igw.stack.Repo;
import io.igw.stack.TestStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controller → njs contract end to end (docs/njs-contract.md): each {@code $igw_route} the
 * render view writes is set by a real NGINX and parsed by njs/controller_values.js, which must read
 * the model's rules back. The values hold what NGINX and JSON treat specially ({@code $ ' " \ ; { }
 * #}, control and non-ASCII characters), beyond what the allow-list ever lets a resource bring, so
 * the quoting is proven where it matters: NGINX's own parser.
 */
class NjsContractThroughNginxTest {
  private static final String ODD = "it's \"odd\" \\ \\\\ $host ${x} ; { } # é 中 \t\n\u2028 end";
  private static final PoolBlock BRIDGED =
      new PoolBlock(
          "igw_pool_0",
          "ns/" + ODD,
          FailureMode.FAIL_OPEN,
          PickerMode.BRIDGE,
          false,
          false,
          List.of());
  private static final PoolBlock IN_PROCESS =
      new PoolBlock(
          "igw_pool_1",
          "default/pool",
          FailureMode.FAIL_CLOSE,
          PickerMode.IN_PROCESS,
          false,
          false,
          List.of());
  private static final PoolBlock UNAVAILABLE =
      new PoolBlock(
          "igw_pool_2",
          "default/broken",
          FailureMode.FAIL_CLOSE,
          PickerMode.UNAVAILABLE,
          false,
          false,
          List.of());

  private static final String PROBE =
      """
      import controllerValues from 'controller_values.js';
      function echo(r) {
          r.return(200, JSON.stringify(controllerValues.route(r.variables.igw_route)));
      }
      export default {echo};
      """;

  @Test
  void everyRouteValueReachesNjsAsTheModelHasIt() throws Exception {
    List<RouteLocation> cases =
        List.of(
            location(
                new RouteCandidate(
                    new MatchConditions(null, Map.of(), Map.of()),
                    List.of(
                        new WeightedBackend(90, rule("igw_rule_0", BRIDGED)),
                        new WeightedBackend(10, null)),
                    null)),
            location(
                new RouteCandidate(
                    new MatchConditions(
                        "POST", Map.of("x-" + ODD, ODD, "x-tier", "gold"), Map.of(ODD, ODD)),
                    List.of(new WeightedBackend(1, rule("igw_rule_1", IN_PROCESS))),
                    null),
                new RouteCandidate(
                    new MatchConditions(null, Map.of("x-go", ODD), Map.of()),
                    List.of(),
                    new Redirect(301, "https", "other.example.com", 8443, "/" + ODD)),
                new RouteCandidate(
                    new MatchConditions(null, Map.of(), Map.of()),
                    List.of(new WeightedBackend(0, rule("igw_rule_2", UNAVAILABLE))),
                    null)),
            location(
                new RouteCandidate(
                    new MatchConditions(null, Map.of(), Map.of()), List.of(), null)));

    try (TestStack stack =
        new TestStack(Files.createTempDirectory("igw-njs-contract-"), Duration.ofSeconds(20), 50)) {
      NginxBinary nginx = stack.nginx();
      NginxPrefix prefix = stack.prefix("nginx");
      Path root = prefix.root();
      Files.writeString(root.resolve("probe.js"), PROBE);
      int port = TestPorts.take();
      Files.writeString(prefix.conf(), conf(nginx, root, port, cases));
      NginxProcess running = stack.startNginx("nginx", prefix);
      stack.awaitListening(port);
      for (int i = 0; i < cases.size(); i++) {
        var answer = Http.get("http://127.0.0.1:" + port + "/case/" + i);
        assertThat(answer.statusCode()).as(running.errorLog()).isEqualTo(200);
        assertThat(new JsonObject(answer.body())).as("case " + i).isEqualTo(expected(cases.get(i)));
      }
    }
  }

  private static RouteLocation location(RouteCandidate... candidates) {
    return new RouteLocation(false, "/", List.of(candidates));
  }

  private static RuleBlock rule(String id, PoolBlock pool) {
    return new RuleBlock(id, pool, List.of(), null);
  }

  private static String conf(NginxBinary nginx, Path root, int port, List<RouteLocation> cases) {
    StringBuilder locations = new StringBuilder();
    for (int i = 0; i < cases.size(); i++) {
      locations
          .append("        location = /case/")
          .append(i)
          .append(" {\n")
          .append("            set $igw_route ")
          .append(LocationView.of(cases.get(i)).route())
          .append(";\n")
          .append("            js_content probe.echo;\n        }\n");
    }
    return (nginx.jsModule() == null ? "" : "load_module " + nginx.jsModule() + ";\n")
        + "pid "
        + root
        + "/logs/nginx.pid;\nerror_log "
        + root
        + "/logs/error.log notice;\n"
        + "events { worker_connections 64; }\n"
        + "http {\n    access_log off;\n    client_body_temp_path "
        + root
        + "/tmp/client_body;\n"
        + "    proxy_temp_path "
        + root
        + "/tmp/proxy;\n    fastcgi_temp_path "
        + root
        + "/tmp/fastcgi;\n"
        + "    uwsgi_temp_path "
        + root
        + "/tmp/uwsgi;\n    scgi_temp_path "
        + root
        + "/tmp/scgi;\n"
        + "    js_path "
        + Repo.path("njs")
        + ";\n    js_import probe from "
        + root
        + "/probe.js;\n"
        + "    server {\n        listen 127.0.0.1:"
        + port
        + ";\n"
        + locations
        + "    }\n}\n";
  }

  /** The contract in the test's own words: what njs must read for the model's rules. */
  private static JsonObject expected(RouteLocation location) {
    JsonArray rules = new JsonArray();
    for (RouteCandidate candidate : location.candidates()) {
      JsonObject rule = new JsonObject();
      MatchConditions when = candidate.conditions();
      if (!when.isEmpty()) {
        JsonObject w = new JsonObject();
        if (when.method() != null) {
          w.put("method", when.method());
        }
        rule.put(
            "when",
            w.put("headers", new JsonObject(new java.util.HashMap<>(when.headers())))
                .put("query", new JsonObject(new java.util.HashMap<>(when.query()))));
      }
      if (candidate.redirects()) {
        Redirect d = candidate.redirect();
        rule.put(
            "redirect",
            new JsonObject()
                .put("status", d.status())
                .put("scheme", d.scheme())
                .put("host", d.hostname())
                .put("port", d.port())
                .put("path", d.path()));
      } else {
        List<Object> backends = new ArrayList<>();
        for (WeightedBackend b : candidate.backends()) {
          JsonObject backend = new JsonObject().put("weight", b.weight());
          if (b.resolved()) {
            PoolBlock pool = b.rule().pool();
            backend
                .put("location", "@" + b.rule().id())
                .put("pool", pool.name())
                .put(
                    "picker",
                    switch (pool.picker()) {
                      case IN_PROCESS -> "in-process";
                      case BRIDGE -> "bridge";
                      case UNAVAILABLE -> "unavailable";
                    })
                .put("failureMode", pool.failOpen() ? "FailOpen" : "FailClose");
          }
          backends.add(backend);
        }
        rule.put("backends", new JsonArray(backends));
      }
      rules.add(rule);
    }
    return new JsonObject().put("rules", rules);
  }
}
