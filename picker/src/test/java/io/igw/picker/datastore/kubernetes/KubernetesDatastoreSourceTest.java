package io.igw.picker.datastore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.Pool;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.datastore.RejectedPolicy;
import io.igw.picker.testing.CapturedLog;
import io.igw.picker.testing.Manifests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes datastore source against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDatastoreSourceTest {
  static final PoolName POOL = new PoolName("default", "p");
  KubernetesClient client;
  KubernetesDatastoreSource source;
  final Datastore datastore = new Datastore();

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
  }

  List<String> addresses(PoolName name) {
    Pool pool = datastore.pool(name);
    return pool == null
        ? null
        : pool.endpoints().stream().map(EndpointState::endpoint).map(Endpoint::address).toList();
  }

  void create(String yaml) {
    for (HasMetadata r : Manifests.read(yaml)) {
      client.resource(r).create();
    }
  }

  @Test
  void followsPoolsPodsAndPolicies() {
    create(
        Manifests.pool("p", 8000)
            + Manifests.pod("a", "p", "127.0.10.1", true)
            + Manifests.pod("b", "p", "127.0.10.2", false)
            + Manifests.pod("c", "other", "127.0.10.3", true));
    source = new KubernetesDatastoreSource(client, "default", datastore, Runnable::run).start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> List.of("127.0.10.1:8000").equals(addresses(POOL)));
    assertThat(source.synced()).isTrue();
    EndpointState kept = datastore.pool(POOL).endpoints().get(0);

    Pod b = client.pods().inNamespace("default").withName("b").get();
    b.getStatus()
        .setConditions(List.of(new PodCondition(null, null, null, null, null, "True", "Ready")));
    client.pods().inNamespace("default").resource(b).updateStatus();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> List.of("127.0.10.1:8000", "127.0.10.2:8000").equals(addresses(POOL)));
    assertThat(datastore.pool(POOL).endpoints().get(0)).isSameAs(kept);

    create(
        """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata: {name: batch, namespace: default}
        spec: {priority: -3, poolRef: {name: p}}
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferencePool
        metadata: {name: old, namespace: default}
        spec: {selector: {app: other}, targetPortNumber: 9000}
        """);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> datastore.policies(POOL).objectivePriorities().getOrDefault("batch", 0) == -3);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> List.of("127.0.10.3:9000").equals(addresses(new PoolName("default", "old"))));

    client.pods().inNamespace("default").withName("a").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> List.of("127.0.10.2:8000").equals(addresses(POOL)));
    client.resources(io.igw.api.InferencePool.class).inNamespace("default").withName("p").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> addresses(POOL) == null);
  }

  @Test
  void inferenceModelWithMixedWeightsIsIgnoredUntilFixedAndLoggedOncePerVersion() {
    try (CapturedLog log = CapturedLog.of(RejectedPolicy.class)) {
      create(
          Manifests.pool("p", 8000)
              + Manifests.pod("a", "p", "127.0.10.1", true)
              + """
          apiVersion: inference.networking.x-k8s.io/v1alpha2
          kind: InferenceModel
          metadata: {name: review, namespace: default}
          spec:
            modelName: food-review
            poolRef: {name: p}
            targetModels: [{name: food-review-1, weight: 90}, {name: food-review-2}]
          ---
          apiVersion: inference.networking.x-k8s.io/v1alpha2
          kind: InferenceModel
          metadata: {name: chat, namespace: default}
          spec: {modelName: chat, criticality: Critical, poolRef: {name: p}}
          """);
      source = new KubernetesDatastoreSource(client, "default", datastore, Runnable::run).start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> datastore.policies(POOL).models().containsKey("chat"));
      assertThat(datastore.policies(POOL).models()).doesNotContainKey("food-review");
      create(
          Manifests.pod(
              "b", "p", "127.0.10.2", true)); // another rebuild, same verdict: no second line
      await().atMost(Duration.ofSeconds(10)).until(() -> addresses(POOL).size() == 2);
      assertThat(log.messages())
          .singleElement()
          .asString()
          .contains(
              "kind=InferenceModel",
              "resource=default/review",
              "model=food-review",
              "weights must be set on all targets or none");

      io.igw.api.InferenceModel fixed =
          client
              .resources(io.igw.api.InferenceModel.class)
              .inNamespace("default")
              .withName("review")
              .get();
      fixed.setSpec(
          new io.igw.api.InferenceModel.Spec(
              "food-review",
              null,
              fixed.getSpec().poolRef(),
              List.of(
                  new io.igw.api.InferenceModel.TargetModel("food-review-1", 90),
                  new io.igw.api.InferenceModel.TargetModel("food-review-2", 10))));
      client.resource(fixed).update();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> datastore.policies(POOL).models().containsKey("food-review"));
      assertThat(datastore.policies(POOL).models().get("chat")).isNotNull();
      assertThat(log.messages()).hasSize(1);
    }
  }
}
