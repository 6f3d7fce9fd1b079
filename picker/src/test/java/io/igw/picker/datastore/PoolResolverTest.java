package io.igw.picker.datastore;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.testing.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolResolverTest {

  @Test
  void endpointsAreReadyMatchingPodsTimesTargetPorts() {
    String yaml =
        Manifests.pool("p", 8000, 8001)
            + Manifests.pod("p-1", "p", "127.0.10.2", true)
            + Manifests.pod("p-0", "p", "127.0.10.1", true)
            + Manifests.pod("p-2", "p", "127.0.10.3", false)
            + Manifests.pod("other", "q", "127.0.10.4", true)
            + Manifests.pod("v6", "p", "fd00::1", true);
    List<PoolDefinition> pools = PoolResolver.resolve(Manifests.read(yaml));
    assertThat(pools)
        .singleElement()
        .satisfies(
            pool -> {
              assertThat(pool.name()).isEqualTo(new PoolName("default", "p"));
              assertThat(pool.endpoints())
                  .extracting(Endpoint::address)
                  .containsExactly(
                      "127.0.10.1:8000",
                      "127.0.10.1:8001",
                      "127.0.10.2:8000",
                      "127.0.10.2:8001",
                      "[fd00::1]:8000",
                      "[fd00::1]:8001");
              assertThat(pool.endpoints().get(0).engine()).isEqualTo("vllm");
            });
  }

  @Test
  void readsTheOlderPoolVersionAndTheDemoExample() {
    String yaml =
        """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferencePool
        metadata: {name: old, namespace: ns}
        spec: {selector: {app: old}, targetPortNumber: 9000, extensionRef: {name: epp}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: a, namespace: ns, labels: {app: old, inference.networking.k8s.io/engine-type: sglang}}
        status: {podIP: 127.1.10.1, conditions: [{type: Ready, status: "True"}]}
        """;
    assertThat(PoolResolver.resolve(Manifests.read(yaml)))
        .singleElement()
        .satisfies(
            pool -> {
              assertThat(pool.name().toString()).isEqualTo("ns/old");
              assertThat(pool.endpoints())
                  .singleElement()
                  .satisfies(
                      e -> {
                        assertThat(e.address()).isEqualTo("127.1.10.1:9000");
                        assertThat(e.engine()).isEqualTo("sglang");
                      });
            });
  }

  @Test
  void demoManifestsGiveThreeEndpoints() {
    var resources =
        new io.igw.api.manifest.ManifestReader().readFolder(java.nio.file.Path.of("../examples"));
    assertThat(PoolResolver.resolve(resources))
        .singleElement()
        .satisfies(
            pool ->
                assertThat(pool.endpoints())
                    .extracting(Endpoint::address)
                    .containsExactly("127.0.0.11:8000", "127.0.0.12:8000", "127.0.0.13:8000"));
  }

  @Test
  void datastoreKeepsStateOfEndpointsThatStay() {
    Datastore store = new Datastore();
    PoolName name = new PoolName("default", "p");
    Endpoint a = Endpoint.of(name, "a", "127.0.10.1", 80, null);
    Endpoint b = Endpoint.of(name, "b", "127.0.10.2", 80, null);
    store.replaceAll(List.of(new PoolDefinition(name, null, List.of(a, b))));
    EndpointState stateA = store.pool(name).endpoints().get(0);
    stateA.recordPick(0);
    store.replaceAll(List.of(new PoolDefinition(name, null, List.of(a))));
    assertThat(store.pool(name).endpoints()).containsExactly(stateA);
    store.replaceAll(List.of());
    assertThat(store.pools()).isEmpty();
  }

  @Test
  void parsesPoolNames() {
    assertThat(PoolName.parse("ns/n")).isEqualTo(new PoolName("ns", "n"));
    assertThat(PoolName.parse("n")).isEqualTo(new PoolName("default", "n"));
    assertThat(PoolName.parse("/n")).isNull();
    assertThat(PoolName.parse("a/b/c")).isNull();
    assertThat(PoolName.parse("")).isNull();
  }
}
