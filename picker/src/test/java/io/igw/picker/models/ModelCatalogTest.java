package io.igw.picker.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.ModelCard;
import io.igw.picker.datastore.PolicyResolver;
import io.igw.picker.datastore.PoolDefinition;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.ServedModels;
import io.igw.picker.testing.Manifests;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
  static final PoolName CHAT = new PoolName("team-a", "chat");
  static final PoolName CODE = new PoolName("team-b", "code");
  static final PoolName SECRET = new PoolName("team-c", "secret");
  static final String LLAMA = "meta-llama/Llama-3.1-8B-Instruct";

  /** Rewrites and InferenceModels: one alias per pool, a canary, a name a server lists. */
  static final String POLICIES =
      """
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModelRewrite
      metadata: {name: alias, namespace: team-a}
      spec:
        poolRef: {name: chat}
        rules:
        - matches: [{model: {value: chat-default}}]
          targets: [{modelRewrite: food-review-1}]
        - matches: [{model: {value: chat-canary}}]
          targets: [{modelRewrite: %1$s, weight: 90}, {modelRewrite: food-review-1, weight: 10}]
        - matches: [{model: {value: %1$s}}]
          targets: [{modelRewrite: %1$s}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModel
      metadata: {name: coder, namespace: team-b}
      spec:
        modelName: coder
        poolRef: {name: code}
        targetModels: [{name: qwen-coder, weight: 100}]
      ---
      apiVersion: inference.networking.x-k8s.io/v1alpha2
      kind: InferenceModel
      metadata: {name: hidden, namespace: team-c}
      spec:
        modelName: secret-alias
        poolRef: {name: secret}
      """
          .formatted(LLAMA);

  private final Datastore datastore = new Datastore();
  private final ModelCatalog catalog = new ModelCatalog(datastore);

  @BeforeEach
  void pools() {
    pool(
        CHAT,
        List.of(base(LLAMA, 1000), adapter("food-review-1", LLAMA, 1001)),
        List.of(base(LLAMA, 2000), adapter("food-review-1", LLAMA, 2001)));
    pool(CODE, List.of(base("qwen-coder", 3000)), List.of(base(LLAMA, 4000)));
    pool(SECRET, List.of(base("secret-model", 5000)));
    datastore.replacePolicies(PolicyResolver.resolve(Manifests.read(POLICIES)));
  }

  @Test
  void aPoolListsItsServersModelsAndAdaptersOnceEachWithTheirParent() {
    ModelList list = catalog.list(List.of(CHAT));
    assertThat(ids(list)).containsExactly(LLAMA, "food-review-1", "chat-canary", "chat-default");
    // the first endpoint by address lists it first: its card is kept
    assertThat(list.find(LLAMA).toJson())
        .isEqualTo(
            new JsonObject()
                .put("id", LLAMA)
                .put("object", "model")
                .put("created", 1000L)
                .put("owned_by", "vllm")
                .put("root", "/models/" + LLAMA)
                .put("parent", null)
                .put("max_model_len", 131072L));
    ModelCard lora = list.find("food-review-1");
    assertThat(lora.parent()).isEqualTo(LLAMA);
    assertThat(lora.root()).isEqualTo("/adapters/food-review-1");
    assertThat(lora.maxModelLen()).isNull();
  }

  @Test
  void rewriteNamesPointAtTheOneModelTheyRouteToAndCanariesAtNone() {
    ModelList list = catalog.list(List.of(CHAT));
    ModelCard alias = list.find("chat-default");
    assertThat(alias.parent()).isEqualTo("food-review-1");
    assertThat(alias.root()).isEqualTo("/adapters/food-review-1");
    assertThat(alias.created()).isEqualTo(1001);
    assertThat(alias.ownedBy()).isEqualTo(ModelCatalog.GATEWAY_OWNER);
    ModelCard canary = list.find("chat-canary");
    assertThat(canary.parent()).isNull();
    assertThat(canary.root()).isEqualTo("chat-canary");
    // a rewrite of a name a server lists shows the server's card, once
    assertThat(list.cards().stream().filter(c -> c.id().equals(LLAMA))).hasSize(1);
    assertThat(list.find(LLAMA).ownedBy()).isEqualTo("vllm");
  }

  @Test
  void severalPoolsAreOneListWithoutDuplicates() {
    ModelList list = catalog.list(List.of(CODE, CHAT, CODE));
    assertThat(ids(list))
        .containsExactly(
            LLAMA, "qwen-coder", "food-review-1", "chat-canary", "chat-default", "coder");
    // team-a/chat comes first by name: its card of the shared base model is the one listed
    assertThat(list.find(LLAMA).created()).isEqualTo(1000);
    ModelCard coder = list.find("coder");
    assertThat(coder.parent()).isEqualTo("qwen-coder");
    assertThat(coder.maxModelLen()).isEqualTo(131072L);
  }

  @Test
  void poolsNotAskedForAndUnknownPoolsAddNothing() {
    ModelList list = catalog.list(List.of(CODE, new PoolName("nowhere", "pool")));
    assertThat(ids(list)).containsExactly(LLAMA, "qwen-coder", "coder");
    assertThat(ids(list)).doesNotContain("secret-model", "secret-alias", "food-review-1");
    assertThat(catalog.list(List.of()).cards()).isEmpty();
    assertThat(catalog.list(List.of()).body().toString())
        .isEqualTo("{\"object\":\"list\",\"data\":[]}");
  }

  @Test
  void anInferenceModelWithoutTargetsIsListedAsItself() {
    ModelCard alias = catalog.list(List.of(SECRET)).find("secret-alias");
    assertThat(alias.parent()).isNull();
    assertThat(alias.root()).isEqualTo("secret-alias");
  }

  @Test
  void anEndpointWhoseModelsAreUnknownAddsNothing() {
    datastore.upsert(
        new PoolDefinition(
            SECRET, null, List.of(Endpoint.of(SECRET, "pod-x", "127.0.10.99", 8000, null))));
    assertThat(ids(catalog.list(List.of(SECRET)))).containsExactly("secret-alias");
  }

  @Test
  void aNameRoutedToDifferentModelsByTwoPoolsHasNoParent() {
    datastore.replacePolicies(
        Map.of(
            CHAT, PolicyResolver.resolve(Manifests.read(alias("team-a", "chat", LLAMA))).get(CHAT),
            CODE,
                PolicyResolver.resolve(Manifests.read(alias("team-b", "code", "qwen-coder")))
                    .get(CODE)));
    assertThat(catalog.list(List.of(CHAT)).find("shared").parent()).isEqualTo(LLAMA);
    assertThat(catalog.list(List.of(CHAT, CODE)).find("shared").parent()).isNull();
  }

  private static String alias(String namespace, String pool, String target) {
    return """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata: {name: shared, namespace: %s}
        spec:
          modelName: shared
          poolRef: {name: %s}
          targetModels: [{name: %s}]
        """
        .formatted(namespace, pool, target);
  }

  private void pool(PoolName name, List<ModelCard>... endpoints) {
    List<Endpoint> list = new java.util.ArrayList<>();
    for (int i = 0; i < endpoints.length; i++) {
      list.add(
          Endpoint.of(name, "pod-" + i, "127.0.10." + (10 * name.name().length() + i), 8000, null));
    }
    datastore.upsert(new PoolDefinition(name, null, list));
    List<EndpointState> states = datastore.pool(name).endpoints();
    for (int i = 0; i < endpoints.length; i++) {
      states.get(i).recordModels(ServedModels.of(endpoints[i], 0));
    }
  }

  static ModelCard base(String id, long created) {
    return new ModelCard(id, created, "vllm", "/models/" + id, null, 131072L);
  }

  static ModelCard adapter(String id, String parent, long created) {
    return new ModelCard(id, created, "vllm", "/adapters/" + id, parent, null);
  }

  static List<String> ids(ModelList list) {
    return list.cards().stream().map(ModelCard::id).toList();
  }
}
