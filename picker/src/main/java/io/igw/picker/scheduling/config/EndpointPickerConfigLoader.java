package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.ConfigException;
import io.igw.picker.scheduling.DataProducer;
import io.igw.picker.scheduling.Filter;
import io.igw.picker.scheduling.Picker;
import io.igw.picker.scheduling.Plugin;
import io.igw.picker.scheduling.PluginReferences;
import io.igw.picker.scheduling.PreRequest;
import io.igw.picker.scheduling.PrefixMatchProducer;
import io.igw.picker.scheduling.ProfileHandler;
import io.igw.picker.scheduling.SaturationDetector;
import io.igw.picker.scheduling.Scheduler;
import io.igw.picker.scheduling.SchedulingProfile;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.scheduling.WeightedScorer;
import io.igw.picker.scheduling.plugins.MaxScorePicker;
import io.igw.picker.scheduling.plugins.SingleProfileHandler;
import io.igw.picker.scheduling.plugins.UtilizationDetector;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads an {@code EndpointPickerConfig} (the upstream YAML format) in named phases: strict decode,
 * defaults, instantiate (unknown type or duplicate name fail), validate (references and plugin
 * kinds), build. Every error names the plugin or profile and the field.
 */
public final class EndpointPickerConfigLoader {
  public static final Set<String> API_VERSIONS =
      Set.of(
          "inference.networking.x-k8s.io/v1alpha1",
          "config.apix.gateway-api-inference-extension.sigs.k8s.io/v1alpha1");
  public static final String KIND = "EndpointPickerConfig";

  /**
   * Built-in configs, by name: {@code default} (igw's), {@code reference} (upstream's), {@code
   * reference-lora} and {@code precise} (prefix matches from the servers' KV-cache events).
   */
  public static final List<String> PRESETS =
      List.of("default", "reference", "reference-lora", "precise");

  private static final int MAX_BYTES = 1024 * 1024;
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(EndpointPickerConfigLoader.class.getName());

  record PluginSpec(String name, String type, JsonObject parameters) {}

  record ProfileRef(String pluginRef, Double weight) {}

  record ProfileSpec(String name, List<ProfileRef> plugins) {}

  record ConfigSpec(
      List<PluginSpec> plugins,
      List<ProfileSpec> profiles,
      String saturationDetectorRef,
      FlowControlConfig flowControl,
      boolean flowControlEnabled) {}

  private final PluginRegistry registry;

  public EndpointPickerConfigLoader(PluginRegistry registry) {
    this.registry = registry;
  }

  public static SchedulerConfig preset(String name) {
    if (!PRESETS.contains(name)) {
      throw new ConfigException(
          "unknown scheduler preset " + name + " (known: " + String.join(", ", PRESETS) + ")");
    }
    try (InputStream in = EndpointPickerConfigLoader.class.getResourceAsStream(name + ".yaml")) {
      return new EndpointPickerConfigLoader(PluginRegistry.builtIn())
          .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("built-in scheduler preset " + name + " unreadable", e);
    }
  }

  public SchedulerConfig loadFile(Path file) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigException(file + ": larger than " + MAX_BYTES + " bytes");
      }
      return load(Files.readString(file));
    } catch (ConfigException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
  }

  public SchedulerConfig load(String yaml) {
    ConfigSpec spec = withDefaults(decode(yaml));
    Map<String, Plugin> plugins = instantiate(spec);
    resolve(plugins);
    return build(spec, plugins);
  }

  // phase 1: strict decode

  static ConfigSpec decode(String yaml) {
    JsonObject root = parseYaml(yaml);
    Fields top =
        new Fields(
            "config",
            root,
            "apiVersion",
            "kind",
            "plugins",
            "schedulingProfiles",
            "saturationDetector",
            "featureGates",
            "data",
            "flowControl");
    String apiVersion = top.string("apiVersion", true);
    if (!API_VERSIONS.contains(apiVersion)) {
      throw new ConfigException(
          "config: apiVersion must be one of " + API_VERSIONS + ", got " + apiVersion);
    }
    if (!KIND.equals(top.string("kind", true))) {
      throw new ConfigException("config: kind must be " + KIND);
    }
    List<PluginSpec> plugins = new ArrayList<>();
    JsonArray pluginList = top.array("plugins");
    for (int i = 0; i < pluginList.size(); i++) {
      Fields f =
          new Fields(
              "plugins[" + i + "]",
              top.object(pluginList.getValue(i), "plugins[" + i + "]"),
              "name",
              "type",
              "parameters");
      plugins.add(
          new PluginSpec(
              f.string("name", false), f.string("type", true), f.optionalObject("parameters")));
    }
    List<ProfileSpec> profiles = new ArrayList<>();
    JsonArray profileList = top.array("schedulingProfiles");
    for (int i = 0; i < profileList.size(); i++) {
      String where = "schedulingProfiles[" + i + "]";
      Fields f = new Fields(where, top.object(profileList.getValue(i), where), "name", "plugins");
      String name = f.string("name", true);
      List<ProfileRef> refs = new ArrayList<>();
      JsonArray refList = f.array("plugins");
      for (int j = 0; j < refList.size(); j++) {
        String refWhere = "profile " + name + " plugins[" + j + "]";
        Fields r =
            new Fields(refWhere, top.object(refList.getValue(j), refWhere), "pluginRef", "weight");
        refs.add(new ProfileRef(r.string("pluginRef", true), r.number("weight")));
      }
      profiles.add(new ProfileSpec(name, refs));
    }
    String detector = null;
    if (root.getValue("saturationDetector") != null) {
      Fields d =
          new Fields(
              "saturationDetector",
              top.object(root.getValue("saturationDetector"), "saturationDetector"),
              "pluginRef");
      detector = d.string("pluginRef", true);
    }
    FlowControlConfig flowControl = FlowControlConfigReader.read(top, root.getValue("flowControl"));
    boolean flowControlEnabled = featureGate(top, FlowControlConfigReader.FEATURE_GATE);
    if (!flowControlEnabled && root.getValue("flowControl") != null) {
      LOG.info("event=flow_control_config_ignored reason=\"the flowControl feature gate is off\"");
    }
    return new ConfigSpec(plugins, profiles, detector, flowControl, flowControlEnabled);
  }

  /**
   * Whether {@code gate} is listed in featureGates ({@code name} or {@code name=true}; {@code
   * name=false} is off).
   */
  private static boolean featureGate(Fields top, String gate) {
    JsonArray gates = top.array("featureGates");
    boolean on = false;
    for (int i = 0; i < gates.size(); i++) {
      if (!(gates.getValue(i) instanceof String entry) || entry.isBlank()) {
        throw new ConfigException(
            "config: featureGates[" + i + "] must be a non-empty string, got " + gates.getValue(i));
      }
      if (entry.equals(gate) || entry.equals(gate + "=true")) {
        on = true;
      } else if (entry.equals(gate + "=false")) {
        on = false;
      }
    }
    return on;
  }

  private static JsonObject parseYaml(String yaml) {
    if (yaml.length() > MAX_BYTES) {
      throw new ConfigException("config: larger than " + MAX_BYTES + " bytes");
    }
    try {
      Object value = new YAMLMapper().readValue(yaml, Object.class);
      if (!(value instanceof Map<?, ?> map)) {
        throw new ConfigException("config: the document must be a mapping");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      return new JsonObject(typed);
    } catch (JacksonException e) {
      throw new ConfigException("config: invalid YAML: " + e.getOriginalMessage());
    }
  }

  // phase 2: defaults

  static ConfigSpec withDefaults(ConfigSpec spec) {
    List<PluginSpec> plugins = new ArrayList<>();
    for (PluginSpec p : spec.plugins()) {
      plugins.add(new PluginSpec(p.name() == null ? p.type() : p.name(), p.type(), p.parameters()));
    }
    List<ProfileSpec> profiles = spec.profiles();
    if (profiles.isEmpty()) {
      List<ProfileRef> all = plugins.stream().map(p -> new ProfileRef(p.name(), null)).toList();
      profiles = List.of(new ProfileSpec("default", all));
    }
    return new ConfigSpec(
        plugins,
        profiles,
        spec.saturationDetectorRef(),
        spec.flowControl(),
        spec.flowControlEnabled());
  }

  // phase 3: instantiate

  private Map<String, Plugin> instantiate(ConfigSpec spec) {
    Map<String, Plugin> plugins = new LinkedHashMap<>();
    for (PluginSpec p : spec.plugins()) {
      if (plugins.containsKey(p.name())) {
        throw new ConfigException("plugin " + p.name() + ": name used twice");
      }
      plugins.put(p.name(), registry.create(new TypedName(p.type(), p.name()), p.parameters()));
    }
    return plugins;
  }

  /** Plugins whose parameters name others ({@code prefixMatchInfoProducerName}) get them now. */
  private static void resolve(Map<String, Plugin> plugins) {
    for (Plugin plugin : plugins.values()) {
      if (plugin instanceof PluginReferences references) {
        references.resolve(plugins::get);
      }
    }
  }

  // phases 4 and 5: validate and build

  private static SchedulerConfig build(ConfigSpec spec, Map<String, Plugin> plugins) {
    Map<String, SchedulingProfile> profiles = new LinkedHashMap<>();
    Set<PreRequest> hooks = new LinkedHashSet<>();
    for (ProfileSpec profile : spec.profiles()) {
      if (profiles.containsKey(profile.name())) {
        throw new ConfigException("profile " + profile.name() + ": name used twice");
      }
      profiles.put(profile.name(), buildProfile(profile, plugins, hooks));
    }
    // producers run outside the profiles; their pre-request hooks (speculative entries) run after
    // the scorers'
    for (Plugin plugin : plugins.values()) {
      if (plugin instanceof PreRequest hook && isProducer(plugin)) {
        hooks.add(hook);
      }
    }
    ProfileHandler handler = profileHandler(plugins, profiles.size());
    SaturationDetector detector = saturationDetector(spec, plugins);
    return new SchedulerConfig(
        new Scheduler(profiles, handler, List.copyOf(hooks)),
        detector,
        spec.flowControl(),
        spec.flowControlEnabled(),
        List.copyOf(plugins.values()));
  }

  /**
   * A plugin that only produces data (tokens, prefix matches), never a filter, scorer or picker.
   */
  private static boolean isProducer(Plugin plugin) {
    return (plugin instanceof DataProducer || plugin instanceof PrefixMatchProducer)
        && !(plugin instanceof Filter || plugin instanceof Scorer || plugin instanceof Picker);
  }

  private static SchedulingProfile buildProfile(
      ProfileSpec spec, Map<String, Plugin> plugins, Set<PreRequest> hooks) {
    List<Filter> filters = new ArrayList<>();
    List<WeightedScorer> scorers = new ArrayList<>();
    Picker picker = null;
    for (ProfileRef ref : spec.plugins()) {
      String where = "profile " + spec.name() + ": pluginRef " + ref.pluginRef();
      Plugin plugin = plugins.get(ref.pluginRef());
      if (plugin == null) {
        throw new ConfigException(where + ": no plugin of that name");
      }
      if (ref.weight() != null && !(plugin instanceof Scorer)) {
        throw new ConfigException(where + ": weight is only for scorers");
      }
      if (isProducer(plugin)) {
        continue; // listed in a profile as upstream configs may do: producers run before every
        // profile anyway
      }
      if (plugin instanceof Filter filter) {
        filters.add(filter);
      } else if (plugin instanceof Scorer scorer) {
        double weight = ref.weight() == null ? 1.0 : ref.weight();
        if (!(weight >= 0) || Double.isInfinite(weight)) {
          throw new ConfigException(where + ": weight must be a number ≥ 0, got " + ref.weight());
        }
        scorers.add(new WeightedScorer(scorer, weight));
      } else if (plugin instanceof Picker p) {
        if (picker != null) {
          throw new ConfigException(
              where + ": a profile has one picker, " + picker.typedName() + " is already set");
        }
        picker = p;
      } else {
        throw new ConfigException(
            where + ": " + plugin.typedName() + " is not a filter, scorer or picker");
      }
      if (plugin instanceof PreRequest hook) {
        hooks.add(hook);
      }
    }
    if (picker == null) {
      picker =
          new MaxScorePicker(
              new TypedName(MaxScorePicker.TYPE, MaxScorePicker.TYPE),
              MaxScorePicker.DEFAULT_MAX_NUM_OF_ENDPOINTS);
    }
    return new SchedulingProfile(spec.name(), filters, scorers, picker);
  }

  private static ProfileHandler profileHandler(Map<String, Plugin> plugins, int profileCount) {
    List<ProfileHandler> handlers =
        plugins.values().stream()
            .filter(ProfileHandler.class::isInstance)
            .map(ProfileHandler.class::cast)
            .toList();
    if (handlers.size() > 1) {
      throw new ConfigException("plugins: one profile handler at most, got " + handlers.size());
    }
    ProfileHandler handler =
        handlers.isEmpty()
            ? new SingleProfileHandler(
                new TypedName(SingleProfileHandler.TYPE, SingleProfileHandler.TYPE))
            : handlers.get(0);
    if (handler instanceof SingleProfileHandler && profileCount != 1) {
      throw new ConfigException(
          "plugin "
              + handler.typedName()
              + ": needs exactly one scheduling profile, got "
              + profileCount);
    }
    return handler;
  }

  private static SaturationDetector saturationDetector(
      ConfigSpec spec, Map<String, Plugin> plugins) {
    if (spec.saturationDetectorRef() == null) {
      return plugins.values().stream()
          .filter(SaturationDetector.class::isInstance)
          .map(SaturationDetector.class::cast)
          .findFirst()
          .orElseGet(
              () ->
                  new UtilizationDetector(
                      new TypedName(UtilizationDetector.TYPE, UtilizationDetector.TYPE),
                      UtilizationDetector.Params.DEFAULTS));
    }
    Plugin plugin = plugins.get(spec.saturationDetectorRef());
    if (!(plugin instanceof SaturationDetector detector)) {
      throw new ConfigException(
          "saturationDetector: pluginRef "
              + spec.saturationDetectorRef()
              + (plugin == null ? ": no plugin of that name" : ": not a saturation detector"));
    }
    return detector;
  }
}
