package io.igw.picker.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Buckets in Redis, shared by every gateway replica that names the same server: one Lua script
 * checks and reserves all of a request's buckets at once ({@code admit.lua}), another settles them
 * ({@code settle.lua}); both run on Redis's clock. Scripts go by {@code EVALSHA}, and by {@code
 * EVAL} once after Redis answers NOSCRIPT (a restarted server has forgotten them). The client's
 * pool reconnects by itself: a call while Redis is down fails (within {@code timeoutMillis}) and
 * the next one after it is back succeeds. Standalone Redis only: the keys of one request are not
 * hash-tagged for Redis Cluster.
 */
public final class RedisBucketStore implements BucketStore {
  public static final String KEY_PREFIX = "igw:rl:";
  static final long WARM_UP_TIMEOUT_MS = 5000;

  private static final Script ADMIT = Script.load("admit.lua");
  private static final Script SETTLE = Script.load("settle.lua");

  private final Redis redis;
  private final long timeoutMillis;

  public RedisBucketStore(Vertx vertx, String url, long timeoutMillis) {
    this.redis =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(url)
                .setMaxPoolSize(16)
                .setMaxPoolWaiting(4096)
                .setMaxWaitingHandlers(4096));
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<Admission> admit(List<BucketCharge> charges) {
    return run(ADMIT, charges)
        .map(
            response -> {
              int refused = Integer.parseInt(response.get(0).toString());
              long now = Long.parseLong(response.get(1).toString());
              double[] levels = new double[charges.size()];
              for (int i = 0; i < levels.length; i++) {
                levels[i] = Double.parseDouble(response.get(2 + i).toString());
              }
              return new Admission(refused, levels, now);
            });
  }

  @Override
  public Future<Void> settle(List<BucketCharge> charges) {
    return run(SETTLE, charges).mapEmpty();
  }

  /**
   * Opens a connection and loads the scripts (a first call pays the connection and class loading,
   * which can take longer than the call timeout); true when Redis answered. Never fails: a Redis
   * that is down at start only means the first admissions meet the policies' failure modes.
   */
  public Future<Boolean> warmUp() {
    return redis
        .send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(ADMIT.text))
        .compose(r -> redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SETTLE.text)))
        .timeout(WARM_UP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(r -> true)
        .otherwise(false);
  }

  @Override
  public long size() {
    return -1;
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private Future<Response> run(Script script, List<BucketCharge> charges) {
    return send(script.call(Command.EVALSHA, script.sha, charges))
        .recover(
            e ->
                e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
                    ? send(script.call(Command.EVAL, script.text, charges))
                    : Future.failedFuture(e));
  }

  private Future<Response> send(Request request) {
    return redis.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private record Script(String text, String sha) {
    static Script load(String resource) {
      try (InputStream in = RedisBucketStore.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource);
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        byte[] sha1 =
            MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        return new Script(text, HexFormat.of().formatHex(sha1));
      } catch (IOException | NoSuchAlgorithmException e) {
        throw new IllegalStateException("cannot load " + resource, e);
      }
    }

    Request call(Command command, String scriptOrSha, List<BucketCharge> charges) {
      Request request = Request.cmd(command).arg(scriptOrSha).arg(charges.size());
      for (BucketCharge c : charges) {
        request.arg(KEY_PREFIX + c.key());
      }
      for (BucketCharge c : charges) {
        request.arg(c.capacity()).arg(c.windowMillis()).arg(c.amount());
      }
      return request;
    }
  }
}
