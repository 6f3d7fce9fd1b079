package io.igw.api.manifest;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.igw.api.InferenceModel;
import io.igw.api.InferenceModelRewrite;
import io.igw.api.InferenceObjective;
import io.igw.api.InferencePool;
import io.igw.api.TokenRateLimitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads Kubernetes manifests (multi-document YAML) from files or a folder into typed resources.
 * Kinds igw understands become their Java types (v1alpha2 InferencePools keep their own type, see
 * {@code v1alpha2.InferencePool#toV1}); anything else is kept as a {@link
 * GenericKubernetesResource}. Errors name the file and the document.
 */
public final class ManifestReader {
  public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.ofEntries(
          Map.entry("v1/Pod", Pod.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
          Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
          Map.entry(
              "gateway.networking.k8s.io/v1/ReferenceGrant",
              io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant.class),
          Map.entry("gateway.networking.k8s.io/v1/GatewayClass", GatewayClass.class),
          Map.entry("gateway.networking.k8s.io/v1/Gateway", Gateway.class),
          Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class),
          Map.entry("gateway.networking.k8s.io/v1beta1/ReferenceGrant", ReferenceGrant.class),
          Map.entry(InferencePool.API_VERSION + "/" + InferencePool.KIND, InferencePool.class),
          Map.entry(
              "inference.networking.x-k8s.io/v1alpha2/InferencePool",
              io.igw.api.v1alpha2.InferencePool.class),
          Map.entry(
              "inference.networking.x-k8s.io/v1alpha2/InferenceObjective",
              InferenceObjective.class),
          Map.entry("inference.networking.x-k8s.io/v1alpha2/InferenceModel", InferenceModel.class),
          Map.entry(
              "inference.networking.x-k8s.io/v1alpha2/InferenceModelRewrite",
              InferenceModelRewrite.class),
          Map.entry(
              TokenRateLimitPolicy.API_VERSION + "/" + TokenRateLimitPolicy.KIND,
              TokenRateLimitPolicy.class));

  private static final java.util.Set<String> CLUSTER_SCOPED =
      java.util.Set.of("GatewayClass", "Namespace");

  private final ObjectReader yaml;
  private final ObjectMapper json = Serialization.jsonMapper();

  public ManifestReader() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    this.yaml = new YAMLMapper(factory).readerFor(JsonNode.class);
  }

  /** Every {@code *.yaml} / {@code *.yml} file of a folder (not recursive), in name order. */
  public List<HasMetadata> readFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new ManifestException("manifest folder not found: " + folder);
    }
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> yamlFiles =
          files.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
      List<HasMetadata> all = new ArrayList<>();
      for (Path file : yamlFiles) {
        all.addAll(readFile(file));
      }
      return all;
    } catch (IOException e) {
      throw new ManifestException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  public List<HasMetadata> readFile(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ManifestException(
            file + ": " + size + " bytes is over the limit of " + MAX_FILE_BYTES);
      }
      return readString(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new ManifestException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads YAML text; {@code source} only names it in errors. */
  public List<HasMetadata> readString(String source, String text) {
    List<HasMetadata> out = new ArrayList<>();
    int doc = 0;
    try (var it = yaml.<JsonNode>readValues(text)) {
      while (hasNext(it, source, doc)) {
        doc++;
        JsonNode node = it.next();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        out.add(toResource(source + " document " + doc, node));
      }
    } catch (RuntimeException e) {
      if (e instanceof ManifestException) {
        throw e;
      }
      throw new ManifestException(source + " document " + (doc) + ": " + rootMessage(e), e);
    }
    return out;
  }

  private static boolean hasNext(Iterator<JsonNode> it, String source, int doc) {
    try {
      return it.hasNext();
    } catch (RuntimeException e) {
      throw new ManifestException(
          source + " document " + (doc + 1) + ": invalid YAML: " + rootMessage(e), e);
    }
  }

  private HasMetadata toResource(String where, JsonNode node) {
    if (!(node instanceof ObjectNode object)) {
      throw new ManifestException(
          where + ": a manifest must be a mapping, got " + node.getNodeType());
    }
    String apiVersion = text(object, "apiVersion");
    String kind = text(object, "kind");
    if (apiVersion == null || kind == null) {
      throw new ManifestException(where + ": apiVersion and kind are required");
    }
    JsonNode metadata = object.get("metadata");
    if (metadata == null
        || text((ObjectNode) (metadata.isObject() ? metadata : json.createObjectNode()), "name")
            == null) {
      throw new ManifestException(where + ": " + kind + " has no metadata.name");
    }
    if (!metadata.has("namespace") && !CLUSTER_SCOPED.contains(kind)) {
      ((ObjectNode) metadata).put("namespace", "default");
    }
    Class<? extends HasMetadata> type =
        KINDS.getOrDefault(apiVersion + "/" + kind, GenericKubernetesResource.class);
    try {
      return json.treeToValue(object, type);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new ManifestException(
          where + ": " + kind + " " + metadata.path("name").asString() + ": " + rootMessage(e), e);
    }
  }

  private static String text(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isString() && !value.asString().isBlank()
        ? value.asString()
        : null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }
}
