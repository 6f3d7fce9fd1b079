package io.igw.picker.scheduling.config;

import io.igw.picker.scheduling.ConfigException;
import io.igw.picker.scheduling.Parameters;
import io.igw.picker.scheduling.Plugin;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.scheduling.plugins.ActiveRequestScorer;
import io.igw.picker.scheduling.plugins.KvCacheUtilizationScorer;
import io.igw.picker.scheduling.plugins.LeastKvCacheFilter;
import io.igw.picker.scheduling.plugins.LeastQueueFilter;
import io.igw.picker.scheduling.plugins.LoraAffinityFilter;
import io.igw.picker.scheduling.plugins.LoraAffinityScorer;
import io.igw.picker.scheduling.plugins.LowQueueFilter;
import io.igw.picker.scheduling.plugins.MaxScorePicker;
import io.igw.picker.scheduling.plugins.PrecisePrefixCacheProducer;
import io.igw.picker.scheduling.plugins.PrefixAffinityLoadScorer;
import io.igw.picker.scheduling.plugins.PrefixCacheScorer;
import io.igw.picker.scheduling.plugins.QueueScorer;
import io.igw.picker.scheduling.plugins.RandomPicker;
import io.igw.picker.scheduling.plugins.SessionAffinityScorer;
import io.igw.picker.scheduling.plugins.SingleProfileHandler;
import io.igw.picker.scheduling.plugins.TokenLoadScorer;
import io.igw.picker.scheduling.plugins.TokenProducer;
import io.igw.picker.scheduling.plugins.UtilizationDetector;
import io.igw.picker.scheduling.plugins.WeightedRandomPicker;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Plugin type → factory. {@link #builtIn()} is the one place built-in plugins are registered. */
public final class PluginRegistry {
  private final Map<String, PluginFactory> factories = new TreeMap<>();

  public static PluginRegistry builtIn() {
    return new PluginRegistry()
        .register(LeastQueueFilter.TYPE, LeastQueueFilter.FACTORY)
        .register(LeastKvCacheFilter.TYPE, LeastKvCacheFilter.FACTORY)
        .register(LowQueueFilter.TYPE, LowQueueFilter.FACTORY)
        .register(LoraAffinityFilter.TYPE, LoraAffinityFilter.FACTORY)
        .register(QueueScorer.TYPE, QueueScorer.FACTORY)
        .register(KvCacheUtilizationScorer.TYPE, KvCacheUtilizationScorer.FACTORY)
        .register(ActiveRequestScorer.TYPE, ActiveRequestScorer.FACTORY)
        .register(TokenLoadScorer.TYPE, TokenLoadScorer.FACTORY)
        .register(SessionAffinityScorer.TYPE, SessionAffinityScorer.FACTORY)
        .register(LoraAffinityScorer.TYPE, LoraAffinityScorer.FACTORY)
        .register(PrefixCacheScorer.TYPE, PrefixCacheScorer.FACTORY)
        .register(PrefixAffinityLoadScorer.TYPE, PrefixAffinityLoadScorer.FACTORY)
        .register(TokenProducer.TYPE, TokenProducer.FACTORY)
        .register(PrecisePrefixCacheProducer.TYPE, PrecisePrefixCacheProducer.FACTORY)
        .register(MaxScorePicker.TYPE, MaxScorePicker.FACTORY)
        .register(RandomPicker.TYPE, RandomPicker.FACTORY)
        .register(WeightedRandomPicker.TYPE, WeightedRandomPicker.FACTORY)
        .register(SingleProfileHandler.TYPE, SingleProfileHandler.FACTORY)
        .register(UtilizationDetector.TYPE, UtilizationDetector.FACTORY);
  }

  public PluginRegistry register(String type, PluginFactory factory) {
    if (factories.putIfAbsent(type, factory) != null) {
      throw new IllegalStateException("plugin type registered twice: " + type);
    }
    return this;
  }

  public Set<String> types() {
    return factories.keySet();
  }

  public Plugin create(TypedName name, JsonObject parameters) {
    PluginFactory factory = factories.get(name.type());
    if (factory == null) {
      throw new ConfigException(
          "plugin "
              + name.name()
              + ": unknown type "
              + name.type()
              + " (known: "
              + String.join(", ", factories.keySet())
              + ")");
    }
    return factory.create(new Parameters(name, parameters));
  }
}
