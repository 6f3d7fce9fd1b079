package io.igw.picker.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.igw.api.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Lua scripts against a real redis-server: the same arithmetic as the in-memory store. */
class RedisBucketStoreTest {
  private static final long MINUTE = 60_000;
  private static final long HOUR = 3_600_000;
  private static RedisServer redis;
  private static Vertx vertx;

  @BeforeAll
  static void startRedis() throws Exception {
    assumeTrue(RedisServer.available(), "redis-server is not installed (./igw deps installs it)");
    redis = RedisServer.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void flush() throws Exception {
    redis.startAgain();
    redis.command("FLUSHALL");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static RedisBucketStore store() throws Exception {
    return store(500);
  }

  private static RedisBucketStore store(long timeoutMs) throws Exception {
    RedisBucketStore store = new RedisBucketStore(vertx, redis.url(), timeoutMs);
    assertThat(await(store.warmUp())).isTrue();
    return store;
  }

  @Test
  void takesAllChargesOrNoneAndSettlesUpToTheCapacity() throws Exception {
    RedisBucketStore store = store();
    BucketCharge a = new BucketCharge("a", 1000, HOUR, 600);
    BucketCharge b = new BucketCharge("b", 500, HOUR, 400);
    Admission first = await(store.admit(List.of(a, b)));
    assertThat(first.admitted()).isTrue();
    assertThat(first.levels()).containsExactly(1000, 500);

    Admission refused = await(store.admit(List.of(a.withAmount(100), b)));
    assertThat(refused.refused()).isEqualTo(1);
    assertThat(refused.levels()[0]).isBetween(400.0, 401.0);
    assertThat(refused.levels()[1]).isBetween(100.0, 101.0);

    await(store.settle(List.of(a.withAmount(300))));
    Admission after = await(store.admit(List.of(a.withAmount(0))));
    assertThat(after.levels()[0]).isBetween(700.0, 702.0);

    // a key lives until its bucket is full again: at most one window
    long ttl = Long.parseLong(redis.command("PTTL", RedisBucketStore.KEY_PREFIX + "a"));
    assertThat(ttl).isPositive().isLessThanOrEqualTo(HOUR);
    // given back to full: the key is gone
    await(store.settle(List.of(a.withAmount(1000))));
    assertThat(redis.command("EXISTS", RedisBucketStore.KEY_PREFIX + "a")).isEqualTo("0");
    await(store.close());
  }

  @Test
  void twoReplicasSharingRedisNeverAdmitMoreThanTheBucketHolds() throws Exception {
    // 2000 calls at once queue behind 16 connections each: time enough for all on a busy machine
    RedisBucketStore one = store(10_000);
    RedisBucketStore two = store(10_000);
    BucketCharge c = new BucketCharge("shared", 10_000, 86_400_000, 7);
    List<Future<Admission>> all = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      all.add((i % 2 == 0 ? one : two).admit(List.of(c)));
    }
    long admitted = 0;
    for (Future<Admission> f : all) {
      if (await(f).admitted()) {
        admitted += 7;
      }
    }
    // 10,000 / 7 = 1428 requests; a day's refill over the test adds well under one more
    assertThat(admitted).isBetween(10_000L - 7, 10_000L + 7);
    await(one.close());
    await(two.close());
  }

  @Test
  void scriptsComeBackAfterRedisForgotThem() throws Exception {
    RedisBucketStore store = store();
    BucketCharge c = new BucketCharge("k", 100, MINUTE, 1);
    assertThat(await(store.admit(List.of(c))).admitted()).isTrue();
    redis.command("SCRIPT", "FLUSH");
    assertThat(await(store.admit(List.of(c))).levels()[0]).isBetween(99.0, 99.1);
    await(store.close());
  }

  @Test
  void failsWhileRedisIsDownAndRecoversWhenItIsBack() throws Exception {
    RedisBucketStore store = store();
    BucketCharge c = new BucketCharge("k", 100, MINUTE, 1);
    assertThat(await(store.admit(List.of(c))).admitted()).isTrue();
    redis.stop();
    for (int i = 0; i < 3; i++) {
      try {
        await(store.admit(List.of(c)));
        throw new AssertionError("admitted while redis is down");
      } catch (ExecutionException expected) {
        // refused connection, reset or timeout
      }
    }
    redis.startAgain();
    Admission back = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (back == null && System.nanoTime() < deadline) {
      try {
        back = await(store.admit(List.of(c)));
      } catch (ExecutionException notYet) {
        Thread.sleep(100);
      }
    }
    assertThat(back).as("admission after redis came back").isNotNull();
    // a restarted redis without persistence starts with full buckets
    assertThat(back.levels()[0]).isEqualTo(100);
    await(store.close());
  }
}
