package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.Endpoint;
import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.ConfigException;
import io.igw.picker.scheduling.DataProducer;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.PluginLifecycle;
import io.igw.picker.scheduling.PluginResources;
import io.igw.picker.scheduling.ProduceRequest;
import io.igw.picker.scheduling.ProducedData;
import io.igw.picker.scheduling.PromptBytes;
import io.igw.picker.scheduling.TokenizedPrompt;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.tokens.ChatTemplate;
import io.igw.picker.tokens.LocalTokenizer;
import io.igw.picker.tokens.RenderClient;
import io.igw.picker.tokens.TokenCache;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tokenizes a request exactly as its engine does and puts the ids on the cycle ({@link
 * TokenizedPrompt}), for the precise-prefix-cache-producer. Two modes:
 *
 * <ul>
 *   <li>{@code render} (llm-d's way, the default): one of the pool's live servers, in turn, is
 *       asked {@code POST /v1/chat/completions/render} or {@code /v1/completions/render}; a pick
 *       waits at most {@code renderTimeoutMs}, then goes on without tokens (the index falls back to
 *       the approximate match). For a chat whose leading messages (all but the last) were seen
 *       before, their tokens come from the cache and no server is asked: after a full render, those
 *       messages are rendered once more on their own, in the background, and the part that agrees
 *       with the full render is kept — a shared system prompt is tokenized once, not per request.
 *   <li>{@code local}: the model's {@code tokenizer.json} ({@code tokenizerPath}, read at start,
 *       never fetched) with the {@code chatTemplate} ({@code chatml} or {@code llama3}), in process
 *       on a small worker pool ({@value #LOCAL_WORKERS} threads), never on an event loop: a 32 KB
 *       prompt takes tens of milliseconds. A pick waits at most {@code renderTimeoutMs} for it too,
 *       then goes on without tokens (the result still lands in the cache). Without a Vert.x
 *       instance (a producer never started, as in unit tests), on the calling thread.
 * </ul>
 *
 * Both keep recent prompts' ids ({@code cacheEntries}, {@code cacheTokens}); a repeated prompt is
 * not tokenized again. Never fails a pick: whatever goes wrong leaves the tokens out.
 */
public final class TokenProducer implements DataProducer, PluginLifecycle {
  public static final String TYPE = "token-producer";
  public static final int LOCAL_WORKERS = 2;

  public enum Mode {
    RENDER,
    LOCAL
  }

  public record Params(
      Mode mode,
      long renderTimeoutMillis,
      String tokenizerPath,
      ChatTemplate chatTemplate,
      int cacheEntries,
      long cacheTokens) {
    public static final Params DEFAULTS =
        new Params(Mode.RENDER, 200, null, ChatTemplate.CHATML, 4096, 4_000_000);
  }

  public static final PluginFactory FACTORY =
      p -> {
        String mode = p.stringValue("mode", "render");
        if (!mode.equals("render") && !mode.equals("local")) {
          throw p.bad("mode", "must be render or local", mode);
        }
        String template = p.stringValue("chatTemplate", Params.DEFAULTS.chatTemplate().id());
        if (ChatTemplate.named(template) == null) {
          throw p.bad("chatTemplate", "must be chatml or llama3", template);
        }
        Params params =
            new Params(
                mode.equals("render") ? Mode.RENDER : Mode.LOCAL,
                p.intValue(
                    "renderTimeoutMs", (int) Params.DEFAULTS.renderTimeoutMillis(), 1, 60_000),
                p.stringValue("tokenizerPath", null),
                ChatTemplate.named(template),
                p.intValue("cacheEntries", Params.DEFAULTS.cacheEntries(), 0, 10_000_000),
                p.intValue("cacheTokens", (int) Params.DEFAULTS.cacheTokens(), 0, 1_000_000_000));
        p.done();
        if (params.mode() == Mode.LOCAL && params.tokenizerPath() == null) {
          throw new ConfigException(
              "plugin " + p.plugin() + ": parameter tokenizerPath is required in local mode");
        }
        try {
          return new TokenProducer(p.plugin(), params);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(
              "plugin " + p.plugin() + ": parameter tokenizerPath: " + e.getMessage());
        }
      };

  /** How each request got (or did not get) its tokens, since start. */
  public record Stats(
      long cached, long prefixCached, long rendered, long local, long failed, long timedOut) {}

  private final TypedName typedName;
  private final Params params;
  private final TokenCache cache;
  private final LocalTokenizer local;
  private final AtomicInteger nextServer = new AtomicInteger();
  private final Set<Long> leadsInFlight = ConcurrentHashMap.newKeySet();
  private final LongAdder cached = new LongAdder();
  private final LongAdder prefixCached = new LongAdder();
  private final LongAdder rendered = new LongAdder();
  private final LongAdder tokenizedLocally = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private volatile Vertx vertx;
  private volatile RenderClient render;
  private volatile WorkerExecutor localWorkers;

  /**
   * In local mode, loads the tokenizer file now (an {@link IllegalArgumentException} when it
   * cannot).
   */
  public TokenProducer(TypedName typedName, Params params) {
    this.typedName = typedName;
    this.params = params;
    this.cache = new TokenCache(params.cacheEntries(), params.cacheTokens());
    this.local =
        params.mode() == Mode.LOCAL
            ? LocalTokenizer.load(Path.of(params.tokenizerPath()), params.chatTemplate())
            : null;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  public Stats stats() {
    return new Stats(
        cached.sum(),
        prefixCached.sum(),
        rendered.sum(),
        tokenizedLocally.sum(),
        failed.sum(),
        timedOut.sum());
  }

  @Override
  public Future<Void> start(PluginResources resources) {
    vertx = resources.vertx();
    if (params.mode() == Mode.RENDER) {
      render = new RenderClient(resources.vertx(), params.renderTimeoutMillis());
    } else if (vertx != null) {
      localWorkers =
          vertx.createSharedWorkerExecutor("igw-tokenize-" + typedName.name(), LOCAL_WORKERS);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    WorkerExecutor workers = localWorkers;
    localWorkers = null;
    if (workers != null) {
      workers.close();
    }
    if (local != null) {
      local.close();
    }
    RenderClient client = render;
    render = null;
    return client == null ? Future.succeededFuture() : client.close();
  }

  @Override
  public Future<Void> produce(ProduceRequest request, ProducedData data) {
    long key = key(request.targetModel(), request.chat() ? 1 : 2, request.promptBytes());
    int[] hit = cache.get(key);
    if (hit != null) {
      cached.increment();
      data.put(TokenizedPrompt.class, new TokenizedPrompt(hit, true, "cache"));
      return Future.succeededFuture();
    }
    JsonObject body = withModel(request.body().get(), request.targetModel());
    if (local != null) {
      WorkerExecutor workers = localWorkers;
      if (workers == null) {
        acceptLocal(local.tokenize(request.chat(), body), key, data);
        return Future.succeededFuture();
      }
      return bounded(
          workers.executeBlocking(() -> local.tokenize(request.chat(), body), false),
          ids -> {
            if (ids != null) {
              cache.put(key, ids);
            }
          },
          ids -> acceptLocal(ids, key, data));
    }
    return produceByRender(request, body, key, data);
  }

  private void acceptLocal(int[] ids, long key, ProducedData data) {
    if (ids == null) {
      failed.increment();
      return;
    }
    tokenizedLocally.increment();
    cache.put(key, ids);
    data.put(TokenizedPrompt.class, new TokenizedPrompt(ids, true, "local"));
  }

  /**
   * Waits for {@code work} at most {@code renderTimeoutMs}: {@code always} sees every result that
   * arrives (late ones too; null when the work failed), {@code inTime} only ids that came before
   * the bound. Both run on the caller's context.
   */
  private Future<Void> bounded(
      Future<int[]> work,
      java.util.function.Consumer<int[]> always,
      java.util.function.Consumer<int[]> inTime) {
    Promise<Void> done = Promise.promise();
    AtomicBoolean settled = new AtomicBoolean();
    long timer =
        vertx.setTimer(
            params.renderTimeoutMillis(),
            id -> {
              if (settled.compareAndSet(false, true)) {
                timedOut.increment();
                done.complete();
              }
            });
    work.onComplete(
        answer -> {
          int[] ids = answer.succeeded() ? answer.result() : null;
          always.accept(ids);
          if (settled.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            if (ids != null) {
              inTime.accept(ids);
            } else {
              failed.increment();
            }
            done.complete();
          }
        });
    return done.future();
  }

  private Future<Void> produceByRender(
      ProduceRequest request, JsonObject body, long key, ProducedData data) {
    RenderClient client = render;
    Endpoint server = nextServer(request.endpoints());
    if (client == null || server == null) {
      return Future.succeededFuture();
    }
    JsonArray lead = request.chat() ? leadingMessages(body) : null;
    long leadKey =
        lead == null
            ? 0
            : key(request.targetModel(), 3, PromptBytes.of(lead.toBuffer().getBytes()));
    int[] leadIds = lead == null ? null : cache.get(leadKey);
    if (leadIds != null) {
      prefixCached.increment();
      data.put(TokenizedPrompt.class, new TokenizedPrompt(leadIds, false, "render-prefix"));
      return Future.succeededFuture();
    }
    return bounded(
        client.render(server.ip(), server.port(), request.chat(), body),
        ids -> {
          if (ids != null) {
            cache.put(key, ids);
            if (lead != null) {
              learnLead(client, server, body, lead, leadKey, ids);
            }
          }
        },
        ids -> {
          rendered.increment();
          data.put(TokenizedPrompt.class, new TokenizedPrompt(ids, true, "render"));
        });
  }

  /**
   * Renders the chat's leading messages alone (no generation prompt), once at a time per prefix,
   * and caches the ids they share with the full render: a template whose prefix renders differently
   * keeps only what agrees.
   */
  private void learnLead(
      RenderClient client,
      Endpoint server,
      JsonObject body,
      JsonArray lead,
      long leadKey,
      int[] full) {
    if (!leadsInFlight.add(leadKey)) {
      return;
    }
    JsonObject leadBody =
        new JsonObject()
            .put("model", body.getValue("model"))
            .put("messages", lead)
            .put("add_generation_prompt", false);
    client
        .render(server.ip(), server.port(), true, leadBody)
        .onComplete(
            answer -> {
              leadsInFlight.remove(leadKey);
              if (answer.succeeded()) {
                int[] ids = answer.result();
                int common = 0;
                while (common < ids.length && common < full.length && ids[common] == full[common]) {
                  common++;
                }
                if (common > 0) {
                  cache.put(leadKey, java.util.Arrays.copyOf(ids, common));
                }
              }
            });
  }

  /** All messages but the last, when there are at least two; else null. */
  private static JsonArray leadingMessages(JsonObject body) {
    if (!(body.getValue("messages") instanceof JsonArray messages) || messages.size() < 2) {
      return null;
    }
    return new JsonArray(messages.getList().subList(0, messages.size() - 1));
  }

  private Endpoint nextServer(List<EndpointState> endpoints) {
    if (endpoints.isEmpty()) {
      return null;
    }
    return endpoints.get(Math.floorMod(nextServer.getAndIncrement(), endpoints.size())).endpoint();
  }

  private static JsonObject withModel(JsonObject body, String model) {
    return model == null || Objects.equals(body.getValue("model"), model)
        ? body
        : body.copy().put("model", model);
  }

  private static long key(String model, int kind, PromptBytes text) {
    byte[] name = model == null ? new byte[0] : model.getBytes(StandardCharsets.UTF_8);
    long seed = XxHash64.hash(name, 0, name.length, kind);
    return XxHash64.hash(text.array(), text.offset(), text.length(), seed);
  }
}
