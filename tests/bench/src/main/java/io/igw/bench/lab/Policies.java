package io.igw.bench.lab;

import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.scheduling.config.FlowControlConfig;
import io.igw.picker.scheduling.config.PluginRegistry;
import io.igw.picker.scheduling.config.SchedulerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The policies the lab compares, in report order: igw's default EndpointPickerConfig (also with
 * flow control), the upstream default ({@code reference}, with LoRA affinity where the workload
 * names adapters), precise prefix routing from the engines' KV events (igw's preset and llm-d's
 * precise-scheduling), the same weights with igw's queue estimate, load only, NGINX's round-robin
 * and least_conn, a static prefix hash, and two picker configs that isolate one idea each (random
 * and prefix-only). Every picker policy runs the live pick path ({@link LabPicker}). A user's own
 * EndpointPickerConfig file can join as {@code name=path.yaml}.
 */
public final class Policies {
  public static final String IGW = "igw";
  public static final String ROUND_ROBIN = "round-robin";
  public static final String LEAST_REQUESTS = "least-requests";
  public static final String REFERENCE = "reference";
  public static final String REFERENCE_LORA = "reference-lora";
  public static final String LOAD_ONLY = "load-only";
  public static final String RANDOM = "random";
  public static final String PRECISE = "precise";
  public static final String PRECISE_REFERENCE = "precise-reference";

  private Policies() {}

  public static Map<String, Policy> builtIn() {
    Map<String, Policy> out = new LinkedHashMap<>();
    add(
        out,
        picker(
            IGW,
            "igw default EndpointPickerConfig",
            () -> EndpointPickerConfigLoader.preset("default")));
    add(
        out,
        picker(
            "igw-flow",
            "igw default with flow control: queued per priority while saturated, 4 s TTL",
            () -> withFlowControl(EndpointPickerConfigLoader.preset("default"))));
    EndpointPickerConfigLoader.preset(REFERENCE_LORA); // fail now, not in the middle of a run
    add(
        out,
        picker(
            REFERENCE,
            "upstream default: queue 2 (scraped waiting), kv-cache 2, prefix 3, max-score, 1 "
                + "endpoint; LoRA affinity 1 where adapters are served",
            () -> EndpointPickerConfigLoader.preset(REFERENCE),
            cluster ->
                cluster.servesAdapters()
                    ? EndpointPickerConfigLoader.preset(REFERENCE_LORA)
                    : EndpointPickerConfigLoader.preset(REFERENCE)));
    add(
        out,
        picker(
            PRECISE,
            "igw preset precise: the default's scorers on precise prefix matches from the "
                + "engines' KV events (exact tokens from /render)",
            () -> EndpointPickerConfigLoader.preset(PRECISE)));
    add(
        out,
        picker(
            PRECISE_REFERENCE,
            "llm-d precise-scheduling: queue 2, kv-cache 2, prefix 3 on the KV-event index, "
                + "max-score, 1 endpoint",
            () -> resource("precise-reference.yaml")));
    add(
        out,
        picker(
            "reference-pending",
            "upstream weights with igw's queue estimate (waiting + picks since the last "
                + "scrape), LoRA affinity 1, 3 endpoints",
            () -> resource("reference-pending.yaml")));
    add(
        out,
        picker(
            LOAD_ONLY,
            "load only: queue 2 (scraped waiting), kv-cache 2, no prefix affinity",
            () -> resource("load-only.yaml")));
    add(
        out,
        new Policy(
            ROUND_ROBIN,
            "NGINX upstream, default balancer",
            cluster -> new RoundRobinRouter(cluster.servers().size())));
    add(
        out,
        new Policy(
            LEAST_REQUESTS,
            "NGINX upstream, least_conn",
            cluster -> new LeastRequestsRouter(cluster.servers())));
    add(
        out,
        new Policy(
            "prefix-hash",
            "NGINX hash on the prompt's first 1024 characters",
            cluster -> new PrefixHashRouter(cluster.servers().size())));
    add(out, picker(RANDOM, "picker with random-picker only", () -> resource("random.yaml")));
    add(
        out,
        picker(
            "prefix-only",
            "picker with prefix-cache-scorer only",
            () -> resource("prefix-only.yaml")));
    return out;
  }

  /**
   * The built-in policies named in {@code names} (all when empty) and user configs given as
   * name=file.yaml.
   */
  public static List<Policy> select(List<String> names) {
    Map<String, Policy> known = builtIn();
    if (names.isEmpty()) {
      return new ArrayList<>(known.values());
    }
    List<Policy> out = new ArrayList<>();
    for (String name : names) {
      int eq = name.indexOf('=');
      if (eq > 0) {
        Path file = Path.of(name.substring(eq + 1));
        out.add(
            picker(
                name.substring(0, eq),
                "EndpointPickerConfig " + file,
                () -> new EndpointPickerConfigLoader(PluginRegistry.builtIn()).loadFile(file)));
      } else if (known.containsKey(name)) {
        out.add(known.get(name));
      } else {
        throw new IllegalArgumentException(
            "unknown policy "
                + name
                + " (known: "
                + String.join(", ", known.keySet())
                + ", or name=EndpointPickerConfig.yaml)");
      }
    }
    return out;
  }

  private static SchedulerConfig withFlowControl(SchedulerConfig config) {
    return new SchedulerConfig(
        config.scheduler(), config.saturationDetector(), FlowControlConfig.DEFAULTS, true);
  }

  static Policy picker(String name, String description, Supplier<SchedulerConfig> config) {
    return picker(name, description, config, cluster -> config.get());
  }

  /**
   * A picker policy whose config depends on the cluster; {@code check} is loaded now to fail early.
   */
  static Policy picker(
      String name,
      String description,
      Supplier<SchedulerConfig> check,
      Function<LabCluster, SchedulerConfig> config) {
    check.get(); // fail now, not in the middle of a run
    return new Policy(name, description, cluster -> new LabPicker(config.apply(cluster), cluster));
  }

  private static SchedulerConfig resource(String file) {
    try (InputStream in = Policies.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing policy resource " + file);
      }
      return new EndpointPickerConfigLoader(PluginRegistry.builtIn())
          .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void add(Map<String, Policy> out, Policy policy) {
    out.put(policy.name(), policy);
  }
}
