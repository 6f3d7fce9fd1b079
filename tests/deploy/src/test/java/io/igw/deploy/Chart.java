package io.igw.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The chart rendered with helm-java (no helm binary), and its manifests read strictly into
 * fabric8's typed models.
 */
final class Chart {
  static final String RELEASE = "igw";
  static final String NAMESPACE = "gw";
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Chart() {}

  static Path haValues() {
    return Repo.chart().resolve("values-ha.yaml");
  }

  /** helm template with the given values files and --set pairs. */
  static String render(List<Path> valuesFiles, Map<String, String> sets) {
    TemplateCommand template =
        new Helm(Repo.chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
    valuesFiles.forEach(template::withValuesFile);
    sets.forEach(template::set);
    return template.call();
  }

  /**
   * Each document of the rendered YAML as its typed fabric8 model (a kind fabric8 does not know
   * fails).
   */
  static List<HasMetadata> typed(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
        continue;
      }
      HasMetadata resource = SERIALIZATION.unmarshal(doc, HasMetadata.class);
      if (resource instanceof GenericKubernetesResource generic) {
        throw new AssertionError(
            "no typed model for " + generic.getApiVersion() + " " + generic.getKind());
      }
      out.add(resource);
    }
    return out;
  }

  /**
   * Fields the typed model does not know: fabric8 keeps them in additionalProperties instead of
   * failing, so strict reading means every additionalProperties map in the object tree is empty.
   * Returns "path: [names]" per place.
   */
  static List<String> unknownFields(Object model) {
    List<String> unknown = new ArrayList<>();
    walk(model, model instanceof HasMetadata r ? r.getKind() : "", unknown);
    return unknown;
  }

  private static void walk(Object value, String path, List<String> unknown) {
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, unknown));
      return;
    }
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object field = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        String name = getter.getName().substring(3);
        walk(
            field, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), unknown);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }
}
