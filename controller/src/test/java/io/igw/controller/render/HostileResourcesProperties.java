package io.igw.controller.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.igw.api.InferencePool;
import io.igw.api.InferencePoolSpec;
import io.igw.api.testing.ScaledTries;
import io.igw.controller.ConfigPipeline;
import io.igw.controller.ControllerMain;
import io.igw.controller.Fixtures;
import io.igw.controller.apply.NginxBinary;
import io.igw.controller.apply.NginxPrefix;
import io.igw.controller.graph.AllowListValidator;
import io.igw.controller.graph.GraphBuilder;
import io.igw.controller.model.GatewayModelBuilder;
import io.igw.controller.model.RuntimeSettings;
import io.igw.controller.source.ClusterSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated resource sets of one typed shape (gateway listener, pools, pods, routes with matches,
 * backends and filters), every value slot of a kind (hostname, path, header name, header value,
 * pool name, pod IP, port, weight, query name, method, filter values …). Each set is rendered once
 * with harmless values of each kind and once with hostile ones in some slots (quotes, ';', braces,
 * newlines, '$', '#', very long, odd Unicode, directive text). Read as NGINX reads it, the hostile
 * config's directives must embed in the harmless one's: a refused value may remove parts, never add
 * a directive, a block or an argument. The hostile config must pass {@code nginx -t}. Tries: {@code
 * igw.propertyTries / 10} (each runs nginx -t).
 */
class HostileResourcesProperties {
  enum Kind {
    HOSTNAME,
    PATH,
    HEADER_NAME,
    HEADER_VALUE,
    POOL_NAME,
    POD_IP,
    QUERY_NAME,
    QUERY_VALUE,
    METHOD,
    PICKER_NAME,
    FAILURE_MODE,
    REDIRECT_PATH
  }

  private static final Map<Kind, String> HARMLESS =
      Map.ofEntries(
          Map.entry(Kind.HOSTNAME, "h%d.example.com"),
          Map.entry(Kind.PATH, "/p%d"),
          Map.entry(Kind.HEADER_NAME, "x-h%d"),
          Map.entry(Kind.HEADER_VALUE, "v%d"),
          Map.entry(Kind.POOL_NAME, "pool%d"),
          Map.entry(Kind.POD_IP, "127.0.10.%d"),
          Map.entry(Kind.QUERY_NAME, "q%d"),
          Map.entry(Kind.QUERY_VALUE, "qv%d"),
          Map.entry(Kind.METHOD, "POST"),
          Map.entry(Kind.PICKER_NAME, "igw-picker"),
          Map.entry(Kind.FAILURE_MODE, "FailOpen"),
          Map.entry(Kind.REDIRECT_PATH, "/r%d"));
  private static final List<String> HOSTILE =
      List.of(
          "\"",
          ";",
          "{",
          "}",
          "\n",
          "\r\n",
          "$",
          "${x}",
          "\\",
          "'",
          " ",
          "#",
          "\u0000",
          "\u202e",
          "\u00e9",
          "\ud835\udd18",
          "..",
          "//",
          "*",
          "\t",
          "return 200 pwned;",
          "} server { listen 1; }",
          "x\"; deny all; #",
          "$request_uri",
          "%0a",
          "';return 200 x;'",
          "\" ; }",
          "\ufeff",
          "a".repeat(5000),
          "/",
          "");

  /**
   * One value slot: its kind, its index among slots (keeps harmless values distinct), its hostile
   * value or null.
   */
  record Slot(Kind kind, int index, String hostile) {
    String value(boolean hostileRun) {
      return value(hostileRun, 0);
    }

    /**
     * {@code base}: the route's own range of indexes, so no two harmless values of the set are
     * equal.
     */
    String value(boolean hostileRun, int base) {
      String harmless = HARMLESS.get(kind).formatted(base + index + 1);
      return hostileRun && hostile != null ? hostile : harmless;
    }
  }

  /** Integer slots (ports, weights): out of range or not. */
  record Number(int harmless, Integer hostile) {
    int value(boolean hostileRun) {
      return hostileRun && hostile != null ? hostile : harmless;
    }
  }

  record Route(
      List<Slot> hostnames,
      String pathType,
      Slot path,
      Slot headerName,
      Slot headerValue,
      Slot queryName,
      Slot queryValue,
      Slot method,
      int pool,
      Number weight,
      String filter,
      List<Slot> filterValues) {}

  record Shape(
      Number listenerPort,
      Slot listenerHostname,
      List<Slot> poolNames,
      List<Number> poolPorts,
      List<Slot> pickers,
      List<Slot> failureModes,
      List<Slot> podIps,
      List<Route> routes) {}

  private static final NginxBinary NGINX =
      NginxBinary.find().orElseThrow(() -> new AssertionError("nginx is needed: ./igw deps"));

  @Property
  @ScaledTries(divisor = 10)
  void aHostileValueRemovesDirectivesNeverAddsThem(@ForAll("shapes") Shape shape) throws Exception {
    Path root = Files.createTempDirectory("igw-hostile-");
    try {
      NginxPrefix prefix = new NginxPrefix(root).create();
      RuntimeSettings settings =
          RuntimeSettings.builder()
              .prefix(prefix.root().toString())
              .jsModule(NGINX.jsModule() == null ? null : NGINX.jsModule().toString())
              .njsDir(Fixtures.repo("njs").toString())
              .pickerAddress("127.0.0.1:9001")
              .listenAddress("127.0.0.1")
              .bodyLimitBytes(1024 * 1024)
              .workerProcesses(1)
              .pickTimeoutMs(5000)
              .completionFeed("127.0.0.1:9514")
              .build();
      // a refused pod IP leaves its pool without endpoints, as a pod that is not there: the
      // reference is the harmless
      // set with each subset of its pods (max counts), so the pool's no-endpoint branch is in it
      Map<String, Integer> reference = new java.util.HashMap<>();
      for (int without = 0; without < 4; without++) {
        int drop = without;
        List<HasMetadata> set = new ArrayList<>(resources(shape, false));
        set.removeIf(
            h ->
                h instanceof io.fabric8.kubernetes.api.model.Pod pod
                    && (drop & (1 << Integer.parseInt(pod.getMetadata().getName().substring(3))))
                        != 0);
        NginxDirectiveTree.shape(render(set, settings))
            .forEach((k, n) -> reference.merge(k, n, Math::max));
      }
      ConfigPipeline pipeline =
          ConfigPipeline.create(NGINX, Fixtures.repo("nginx-conf"), "igw-picker");
      var outcome =
          pipeline.run(ClusterSnapshot.of(resources(shape, true)), settings, null, prefix);
      String hostile =
          Files.readString(
              prefix.root().resolve("conf/nginx.conf" + (outcome.applied() ? "" : ".rejected")));
      assertThat(outcome.applied()).as("nginx -t: " + outcome.checkOutput()).isTrue();
      Map<String, Integer> candidate = NginxDirectiveTree.shape(hostile);
      assertThat(NginxDirectiveTree.notEmbedded(candidate, reference))
          .as("directives the hostile values added")
          .isEmpty();
      Statistics.label("routes rendered").collect(hostile.contains("js_content igw.route;"));
    } finally {
      try (var paths = Files.walk(root)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String render(List<HasMetadata> resources, RuntimeSettings settings) {
    var graph =
        new GraphBuilder(ControllerMain.CONTROLLER_NAME, new AllowListValidator(), "igw-picker")
            .build(ClusterSnapshot.of(resources));
    var config = new GatewayModelBuilder().build(graph, settings, null);
    return new String(
        new NginxConfigRenderer(Fixtures.repo("nginx-conf")).render(config).get(0).content(),
        StandardCharsets.UTF_8);
  }

  // ---- the typed shape ----

  @Provide
  Arbitrary<Shape> shapes() {
    int[] next = {0};
    BiFunction<Kind, Integer, Arbitrary<Slot>> slot =
        (kind, index) -> hostile(kind).map(h -> new Slot(kind, index, h));
    Arbitrary<Route> route =
        Combinators.combine(
                List.of(
                    Combinators.combine(
                            slot.apply(Kind.HOSTNAME, 10),
                            slot.apply(Kind.HOSTNAME, 11),
                            Arbitraries.integers().between(0, 2))
                        .as((h1, h2, n) -> (Object) List.of(h1, h2).subList(0, n)),
                    Arbitraries.of("PathPrefix", "Exact").map(o -> (Object) o),
                    slot.apply(Kind.PATH, 2).map(o -> (Object) o),
                    slot.apply(Kind.HEADER_NAME, 1).injectNull(0.6).map(o -> (Object) o),
                    slot.apply(Kind.HEADER_VALUE, 1).map(o -> (Object) o),
                    slot.apply(Kind.QUERY_NAME, 1).injectNull(0.7).map(o -> (Object) o),
                    slot.apply(Kind.QUERY_VALUE, 1).map(o -> (Object) o),
                    slot.apply(Kind.METHOD, 0).injectNull(0.7).map(o -> (Object) o)))
            .as(parts -> parts)
            .flatMap(
                parts ->
                    Combinators.combine(
                            Arbitraries.integers().between(0, 1),
                            numbers(50, 0, 1_000_001, -1),
                            Arbitraries.of(
                                "none", "RequestHeaderModifier", "URLRewrite", "RequestRedirect"),
                            Combinators.combine(
                                    slot.apply(Kind.HEADER_NAME, 20),
                                    slot.apply(Kind.HEADER_VALUE, 20),
                                    slot.apply(Kind.HEADER_NAME, 40),
                                    slot.apply(Kind.HEADER_VALUE, 40),
                                    slot.apply(Kind.HEADER_NAME, 60),
                                    slot.apply(Kind.HOSTNAME, 20),
                                    slot.apply(Kind.REDIRECT_PATH, 3))
                                .as(List::of))
                        .as(
                            (pool, weight, filter, values) ->
                                new Route(
                                    cast(parts.get(0)),
                                    (String) parts.get(1),
                                    (Slot) parts.get(2),
                                    (Slot) parts.get(3),
                                    (Slot) parts.get(4),
                                    (Slot) parts.get(5),
                                    (Slot) parts.get(6),
                                    (Slot) parts.get(7),
                                    pool,
                                    weight,
                                    filter,
                                    values)));
    return Combinators.combine(
            numbers(80, 0, 70000, -80),
            slot.apply(Kind.HOSTNAME, 0).injectNull(0.6),
            Combinators.combine(slot.apply(Kind.POOL_NAME, 0), slot.apply(Kind.POOL_NAME, 1))
                .as(List::of),
            Combinators.combine(numbers(8000, 0, 65536, -1), numbers(8001, 0, 65536, 99999))
                .as(List::of),
            Combinators.combine(slot.apply(Kind.PICKER_NAME, 0), slot.apply(Kind.PICKER_NAME, 1))
                .as(List::of),
            Combinators.combine(slot.apply(Kind.FAILURE_MODE, 0), slot.apply(Kind.FAILURE_MODE, 1))
                .as(List::of),
            Combinators.combine(slot.apply(Kind.POD_IP, 6), slot.apply(Kind.POD_IP, 7))
                .as(List::of),
            route.list().ofMinSize(1).ofMaxSize(3))
        .as(Shape::new);
  }

  @SuppressWarnings("unchecked")
  private static List<Slot> cast(Object list) {
    return (List<Slot>) list;
  }

  /**
   * Null (the slot keeps its harmless value) half the time, else hostile text, alone or around a
   * harmless part.
   */
  private static Arbitrary<String> hostile(Kind kind) {
    Arbitrary<String> part = Arbitraries.of(HOSTILE);
    Arbitrary<String> mixed =
        Combinators.combine(
                part,
                part,
                Arbitraries.of(
                    "a",
                    "v1",
                    "example.com",
                    "/v1",
                    "x-tenant",
                    "127.0.10.7",
                    "igw-picker",
                    "FailClose"),
                Arbitraries.integers().between(0, 2))
            .as(
                (p1, p2, good, how) ->
                    switch (how) {
                      case 0 -> good + p1;
                      case 1 -> p1 + good + p2;
                      default -> p1;
                    });
    return mixed
        .injectNull(0.5)
        .map(v -> v == null ? null : kind == Kind.PATH || kind == Kind.REDIRECT_PATH ? "/" + v : v);
  }

  private static Arbitrary<Number> numbers(int harmless, int... hostile) {
    List<Integer> values = new ArrayList<>();
    for (int h : hostile) {
      values.add(h);
    }
    return Arbitraries.of(values).injectNull(0.7).map(h -> new Number(harmless, h));
  }

  // ---- resources from a shape ----

  static List<HasMetadata> resources(Shape s, boolean hostile) {
    List<HasMetadata> out = new ArrayList<>();
    out.add(
        new GatewayClassBuilder()
            .withNewMetadata()
            .withName("igw")
            .endMetadata()
            .withNewSpec()
            .withControllerName(ControllerMain.CONTROLLER_NAME)
            .endSpec()
            .build());
    out.add(
        new GatewayBuilder()
            .withMetadata(meta("gw"))
            .withNewSpec()
            .withGatewayClassName("igw")
            .addNewListener()
            .withName("http")
            .withProtocol("HTTP")
            .withPort(s.listenerPort().value(hostile))
            .withHostname(s.listenerHostname() == null ? null : s.listenerHostname().value(hostile))
            .withNewAllowedRoutes()
            .withNewNamespaces()
            .withFrom("All")
            .endNamespaces()
            .endAllowedRoutes()
            .endListener()
            .endSpec()
            .build());
    for (int p = 0; p < 2; p++) {
      InferencePool pool = new InferencePool();
      pool.setMetadata(meta(s.poolNames().get(p).value(hostile)));
      pool.setSpec(
          new InferencePoolSpec(
              new LabelSelectorBuilder().withMatchLabels(Map.of("app", "a" + p)).build(),
              List.of(new InferencePoolSpec.Port(s.poolPorts().get(p).value(hostile))),
              null,
              new InferencePoolSpec.EndpointPickerRef(
                  null,
                  null,
                  s.pickers().get(p).value(hostile),
                  new InferencePoolSpec.Port(9002),
                  s.failureModes().get(p).value(hostile))));
      out.add(pool);
      out.add(
          new PodBuilder()
              .withMetadata(
                  new ObjectMetaBuilder()
                      .withName("pod" + p)
                      .withNamespace("default")
                      .withLabels(Map.of("app", "a" + p))
                      .build())
              .withNewStatus()
              .withPodIP(s.podIps().get(p).value(hostile))
              .withConditions(
                  new PodConditionBuilder().withType("Ready").withStatus("True").build())
              .endStatus()
              .build());
    }
    for (int r = 0; r < s.routes().size(); r++) {
      out.add(route("r" + r, s.routes().get(r), s, hostile, 100 * (r + 1)));
    }
    return out;
  }

  private static HasMetadata route(String name, Route r, Shape s, boolean hostile, int base) {
    java.util.function.Function<Slot, String> value = slot -> slot.value(hostile, base);
    var match =
        new HTTPRouteMatchBuilder()
            .withNewPath()
            .withType(r.pathType())
            .withValue(value.apply(r.path()))
            .endPath();
    if (r.headerName() != null) {
      match
          .addNewHeader()
          .withName(value.apply(r.headerName()))
          .withValue(value.apply(r.headerValue()))
          .endHeader();
    }
    if (r.queryName() != null) {
      match
          .addNewQueryParam()
          .withName(value.apply(r.queryName()))
          .withValue(value.apply(r.queryValue()))
          .endQueryParam();
    }
    if (r.method() != null) {
      match.withMethod(value.apply(r.method()));
    }
    var rule =
        new HTTPRouteRuleBuilder()
            .withMatches(match.build())
            .addNewBackendRef()
            .withGroup("inference.networking.k8s.io")
            .withKind("InferencePool")
            .withName(s.poolNames().get(r.pool()).value(hostile))
            .withWeight(r.weight().value(hostile))
            .endBackendRef();
    List<Slot> v = r.filterValues();
    switch (r.filter()) {
      case "RequestHeaderModifier" ->
          rule.addToFilters(
              new HTTPRouteFilterBuilder()
                  .withType(r.filter())
                  .withNewRequestHeaderModifier()
                  .addNewSet()
                  .withName(value.apply(v.get(0)))
                  .withValue(value.apply(v.get(1)))
                  .endSet()
                  .addNewAdd()
                  .withName(value.apply(v.get(2)))
                  .withValue(value.apply(v.get(3)))
                  .endAdd()
                  .withRemove(value.apply(v.get(4)))
                  .endRequestHeaderModifier()
                  .build());
      case "URLRewrite" ->
          rule.addToFilters(
              new HTTPRouteFilterBuilder()
                  .withType(r.filter())
                  .withNewUrlRewrite()
                  .withHostname(value.apply(v.get(5)))
                  .withNewPath()
                  .withType("ReplacePrefixMatch")
                  .withReplacePrefixMatch(value.apply(v.get(6)))
                  .endPath()
                  .endUrlRewrite()
                  .build());
      case "RequestRedirect" ->
          rule.addToFilters(
              new HTTPRouteFilterBuilder()
                  .withType(r.filter())
                  .withNewRequestRedirect()
                  .withHostname(value.apply(v.get(5)))
                  .withStatusCode(301)
                  .withNewPath()
                  .withType("ReplaceFullPath")
                  .withReplaceFullPath(value.apply(v.get(6)))
                  .endPath()
                  .endRequestRedirect()
                  .build());
      default -> {}
    }
    return new HTTPRouteBuilder()
        .withMetadata(meta(name))
        .withNewSpec()
        .addNewParentRef()
        .withName("gw")
        .endParentRef()
        .withHostnames(r.hostnames().stream().map(h -> value.apply(h)).toList())
        .withRules(rule.build())
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace("default")
        .withGeneration(1L)
        .build();
  }
}
