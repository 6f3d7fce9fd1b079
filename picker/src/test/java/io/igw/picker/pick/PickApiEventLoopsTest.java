package io.igw.picker.pick;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.PickerOptions;
import io.igw.picker.PickerServer;
import io.igw.picker.core.Director;
import io.igw.picker.core.PickOptions;
import io.igw.picker.core.PickRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.core.PickService;
import io.igw.picker.datastore.Datastore;
import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.PoolDefinition;
import io.igw.picker.datastore.PoolName;
import io.igw.picker.lifecycle.InFlightTracker;
import io.igw.picker.observability.PickerMetrics;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.testing.Await;
import io.igw.picker.testing.Manifests;
import io.igw.picker.testing.PickClient;
import io.igw.picker.testing.StubModelServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pick API served by several event loops sharing one port. */
class PickApiEventLoopsTest {
  static final String BODY =
      "{\"model\":\"base\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aPickerOnSeveralEventLoopsAnswersConcurrentPicks() throws Exception {
    StubModelServer a =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("base"));
    StubModelServer b =
        Await.result(StubModelServer.start(vertx, "127.0.0.1", 0)).setModels(List.of("base"));
    PickerServer picker =
        Await.result(
            PickerServer.start(
                vertx,
                new PickerOptions()
                    .setResources(
                        Manifests.read(
                            Manifests.pool("p", a.port(), b.port())
                                + Manifests.pod("p-0", "p", "127.0.0.1", true)))
                    .setPickApi(new PickApiOptions().setPort(0).setPickThreads(3))));
    try {
      Set<String> pool = Set.of("127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());
      ExecutorService clients = Executors.newFixedThreadPool(6);
      List<Future<PickClient.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        PickClient client =
            new PickClient(vertx, picker.port()); // a client per pick: picks on many connections
        answers.add(clients.submit(() -> client.pick("default/p", BODY)));
      }
      for (Future<PickClient.Answer> answer : answers) {
        PickClient.Answer picked = answer.get();
        assertThat(picked.status()).isEqualTo(200);
        assertThat(Set.of(picked.endpoint().split(","))).isEqualTo(pool);
      }
      clients.shutdown();
    } finally {
      Await.result(picker.close());
      Await.result(a.close());
      Await.result(b.close());
    }
  }

  @Test
  void connectionsAreSpreadOverTheEventLoops() throws Exception {
    PoolName poolName = new PoolName("default", "p");
    Datastore datastore = new Datastore();
    datastore.replaceAll(
        List.of(
            new PoolDefinition(
                poolName,
                null,
                List.of(
                    Endpoint.of(poolName, "p-0", "127.0.10.1", 8000, null),
                    Endpoint.of(poolName, "p-1", "127.0.10.2", 8000, null)))));
    Director director =
        new Director(
            datastore,
            EndpointPickerConfigLoader.preset("default"),
            new InFlightTracker(60_000),
            new PickOptions().setStaleAfterMs(60_000));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    PickService seenOnEachThread =
        new PickService() {
          @Override
          public io.vertx.core.Future<PickResult> pick(PickRequest request) {
            threads.add(Thread.currentThread().getName());
            return director.pick(request);
          }

          @Override
          public void release(PickRequest request) {
            director.release(request);
          }
        };
    PickApi api =
        new PickApi(
            seenOnEachThread,
            datastore,
            new PickerMetrics(datastore, e -> true),
            () -> true,
            new PickApiOptions().setMaxBodyBytes(1 << 20));
    io.igw.picker.http.SharedHttpServer.Deployment deployment =
        Await.result(
            PickApiVerticle.deploy(
                vertx,
                api,
                new io.igw.picker.models.ModelsApi(
                    new io.igw.picker.models.ModelCatalog(datastore),
                    java.time.Clock.systemUTC(),
                    io.igw.picker.models.ModelsApi.DEFAULT_CACHE_MS),
                new HttpServerOptions().setHost("127.0.0.1").setPort(0),
                3));
    try {
      for (int i = 0; i < 12; i++) {
        HttpClient client =
            HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build(); // a new connection
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + deployment.port()
                                + "/pick?pool=default/p&path=/v1/chat/completions&method=POST"))
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue(PickApi.ENDPOINT_HEADER).orElseThrow())
            .contains("127.0.10.");
      }
      assertThat(threads).hasSizeGreaterThan(1).allMatch(name -> name.contains("eventloop"));
    } finally {
      Await.result(vertx.undeploy(deployment.id()));
    }
  }
}
