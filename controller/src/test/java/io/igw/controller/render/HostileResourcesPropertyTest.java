package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.igw.api.InferencePool;
import io.igw.api.InferencePoolSpec;
import io.igw.controller.ConfigPipeline;
import io.igw.controller.ControllerMain;
import io.igw.controller.Fixtures;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ClusterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Renders thousands of random resources whose values are hostile (quotes, ';', braces, newlines, '$', very
 * long strings, odd Unicode) and checks every result with {@code nginx -t} and for lines that are not ours:
 * a resource may be refused, never turned into a directive.
 */
class HostileResourcesPropertyTest {
  private static final int CASES = Integer.getInteger("igw.hostileCases", 1500);
  private static final String[] HOSTILE = {"\"", ";", "{", "}", "\n", "\r\n", "$", "${x}", "\\", "'", " ",
      "#", "\u0000", "\u202e", "é", "𝔘", "..", "//", "*", "\t", "return 200 pwned;", "} server { listen 1; }",
      "x\"; deny all; #", "$request_uri", "%0a"};
  private static final String[] GOOD = {"a", "v1", "example.com", "api.example.com", "/v1", "team-a", "x-tenant",
      "10.0.0.7", "127.0.0.9", "chat", "igw"};
  private static final Set<String> OUR_DIRECTIVES = Set.of("load_module", "user", "worker_processes", "pid",
      "error_log", "events", "worker_connections", "http", "default_type", "access_log", "server_tokens",
      "sendfile", "tcp_nodelay", "keepalive_timeout", "keepalive_requests", "client_body_temp_path",
      "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path", "client_max_body_size",
      "client_body_buffer_size", "subrequest_output_buffer_size", "js_path", "js_import", "js_var", "map",
      "upstream", "server", "keepalive", "least_conn", "listen", "server_name", "ssl_certificate",
      "ssl_certificate_key", "recursive_error_pages", "error_page", "location", "set", "js_content", "return",
      "internal", "proxy_pass", "proxy_http_version", "proxy_set_header", "proxy_set_body", "proxy_buffering",
      "proxy_connect_timeout", "proxy_send_timeout", "proxy_read_timeout", "proxy_intercept_errors", "rewrite",
      "default", "log_format", "}", "#", "map_hash_bucket_size", "map_hash_max_size", "volatile", "zone",
      "limit_conn_zone", "limit_conn_status", "limit_conn_log_level", "limit_conn");
  /** Continuation lines of our own log_format. */
  private static final List<String> OUR_CONTINUATIONS = List.of("'{\"request_id\":\"$request_id\",",
      "'\"request_time\":");

  @Test
  void noHostileValueBecomesADirective() throws Exception {
    NginxBinary nginx = NginxBinary.find().orElseThrow(() -> new AssertionError("nginx is needed: ./igw deps"));
    Path root = Files.createTempDirectory("igw-hostile-");
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    int[] rendered = new int[1];
    IntStream.range(0, CASES).parallel().forEach(seed -> {
      try {
        NginxPrefix prefix = new NginxPrefix(root.resolve("p" + seed)).create();
        RuntimeSettings settings = new RuntimeSettings(prefix.root().toString(),
            nginx.jsModule() == null ? null : nginx.jsModule().toString(), Fixtures.repo("njs").toString(),
            "127.0.0.1:9001", "127.0.0.1", 1024 * 1024, 1, null, 5000, "127.0.0.1:9514");
        ConfigPipeline pipeline = ConfigPipeline.create(nginx, Fixtures.repo("nginx-conf"), "igw-picker");
        var outcome = pipeline.run(ClusterSnapshot.of(resources(new Random(seed))), settings, null, prefix);
        String conf = Files.readString(prefix.root().resolve("conf/nginx.conf"
            + (outcome.applied() ? "" : ".rejected")));
        if (!outcome.applied()) {
          failures.add("seed " + seed + ": nginx -t failed: " + outcome.checkOutput());
        }
        for (String line : conf.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
          String first = line.split("[\\s;{]", 2)[0];
          if (!OUR_DIRECTIVES.contains(first) && !line.startsWith("\"")
              && OUR_CONTINUATIONS.stream().noneMatch(line::startsWith)) {
            failures.add("seed " + seed + ": foreign line: " + line);
          }
        }
        if (conf.contains("js_content igw.route;")) {
          synchronized (rendered) {
            rendered[0]++;
          }
        }
        deleteRecursively(prefix.root());
      } catch (Exception e) {
        failures.add("seed " + seed + ": " + e);
      }
    });
    assertThat(failures).as("configs that failed").isEmpty();
    // not vacuous: a good share of the cases still routes something after the hostile values were refused
    assertThat(rendered[0]).as("cases that rendered a route").isGreaterThan(CASES / 10);
  }

  private static List<HasMetadata> resources(Random random) {
    List<HasMetadata> out = new ArrayList<>();
    out.add(new GatewayClassBuilder().withNewMetadata().withName("igw").endMetadata()
        .withNewSpec().withControllerName(ControllerMain.CONTROLLER_NAME).endSpec().build());
    out.add(new GatewayBuilder().withMetadata(meta("gw", "default"))
        .withNewSpec().withGatewayClassName("igw")
        .addNewListener().withName("http").withProtocol("HTTP").withPort(port(random))
        .withHostname(random.nextInt(3) == 0 ? value(random) : null)
        .withNewAllowedRoutes().withNewNamespaces().withFrom("All").endNamespaces().endAllowedRoutes()
        .endListener().endSpec().build());
    String poolName = random.nextInt(4) == 0 ? value(random) : "pool";
    out.add(pool(poolName, random));
    out.add(new PodBuilder().withMetadata(new ObjectMetaBuilder().withName("pod").withNamespace("default")
            .withLabels(Map.of("app", "x")).build())
        .withNewStatus().withPodIP(random.nextInt(3) == 0 ? value(random) : "10.0.0." + random.nextInt(256))
        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build()).endStatus().build());
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      out.add(route("r" + i, poolName, random));
    }
    return out;
  }

  private static InferencePool pool(String name, Random random) {
    InferencePool pool = new InferencePool();
    pool.setMetadata(meta(name, "default"));
    pool.setSpec(new InferencePoolSpec(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "x")).build(),
        List.of(new InferencePoolSpec.Port(port(random))), null,
        new InferencePoolSpec.EndpointPickerRef(null, null, random.nextBoolean() ? "igw-picker" : value(random),
            new InferencePoolSpec.Port(9002), random.nextBoolean() ? "FailOpen" : value(random))));
    return pool;
  }

  private static HasMetadata route(String name, String pool, Random random) {
    var match = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder().withNewPath()
        .withType(random.nextBoolean() ? "PathPrefix" : "Exact").withValue("/" + value(random)).endPath();
    if (random.nextInt(3) == 0) {
      match.addNewHeader().withName(value(random)).withValue(value(random)).endHeader()
          .addNewQueryParam().withName(value(random)).withValue(value(random)).endQueryParam()
          .withMethod(random.nextBoolean() ? "POST" : value(random));
    }
    var rule = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder()
        .withMatches(match.build())
        .addNewBackendRef().withGroup("inference.networking.k8s.io").withKind("InferencePool").withName(pool)
        .withWeight(random.nextInt(100)).endBackendRef();
    switch (random.nextInt(4)) {
      case 0 -> rule.addToFilters(new HTTPRouteFilterBuilder().withType("RequestHeaderModifier")
          .withNewRequestHeaderModifier().addNewSet().withName(value(random)).withValue(value(random)).endSet()
          .addNewAdd().withName(value(random)).withValue(value(random)).endAdd()
          .withRemove(value(random)).endRequestHeaderModifier().build());
      case 1 -> rule.addToFilters(new HTTPRouteFilterBuilder().withType("URLRewrite").withNewUrlRewrite()
          .withHostname(value(random)).withNewPath().withType("ReplacePrefixMatch")
          .withReplacePrefixMatch("/" + value(random)).endPath().endUrlRewrite().build());
      case 2 -> rule.addToFilters(new HTTPRouteFilterBuilder().withType("RequestRedirect").withNewRequestRedirect()
          .withHostname(value(random)).withStatusCode(301).withNewPath().withType("ReplaceFullPath")
          .withReplaceFullPath("/" + value(random)).endPath().endRequestRedirect().build());
      default -> { }
    }
    return new HTTPRouteBuilder().withMetadata(meta(name, "default"))
        .withNewSpec().addNewParentRef().withName("gw").endParentRef()
        .withHostnames(random.nextInt(3) == 0 ? List.of(value(random)) : List.of())
        .withRules(rule.build()).endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name, String ns) {
    return new ObjectMetaBuilder().withName(name).withNamespace(ns).withGeneration(1L).build();
  }

  private static int port(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> 0;
      case 1 -> 70000;
      default -> 20000 + random.nextInt(20000);
    };
  }

  /** A value made of good parts and hostile ones, sometimes very long. */
  private static String value(Random random) {
    if (random.nextBoolean()) {
      return GOOD[random.nextInt(GOOD.length)];
    }
    StringBuilder s = new StringBuilder();
    int parts = 1 + random.nextInt(4);
    for (int i = 0; i < parts; i++) {
      s.append(random.nextBoolean() ? GOOD[random.nextInt(GOOD.length)] : HOSTILE[random.nextInt(HOSTILE.length)]);
    }
    if (random.nextInt(20) == 0) {
      s.append("a".repeat(5000));
    }
    return s.toString();
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
