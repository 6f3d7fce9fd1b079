package io.igw.bench.lab;

import io.igw.bench.workload.WorkloadRequest;
import io.igw.picker.core.PickResult;
import io.igw.picker.scheduling.PrefixMatch;
import io.igw.simulator.engine.RequestTrace;
import io.igw.simulator.tokens.PromptRenderer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The approximate prefix index against the engines' truth, per pick: what the index predicted the
 * chosen server holds (its matched blocks of {@code blockSizeTokens} × 4 characters, turned into
 * the prompt tokens wholly inside them) against the prompt tokens the engine's prefix cache
 * supplied when it admitted the request (whole 16-token blocks of token ids). A block the index
 * predicted and the engine lacked is <em>evicted</em> when some earlier request had computed it on
 * that server before this one was admitted (the engine dropped it; the index never hears of
 * evictions), else <em>not yet computed</em> (the index records a prompt at pick time; the request
 * that brings it was still waiting or prefilling, or gave up). Tokens the engine had beyond the
 * prediction are <em>beyond the horizon</em> when the index matched every block it looks at ({@code
 * maxPrefixBlocksToMatch}), else <em>unseen</em>. <em>Boundary</em> tokens: predicted tokens past
 * the last whole engine block (the character blocks and the token blocks do not line up; the engine
 * caches only whole blocks).
 */
public final class PrefixAudit implements LabObserver {
  /**
   * One audited pick. Token counts; {@code admitted} false when the client gave up before the
   * engine took it.
   */
  public record Row(
      int id,
      int step,
      int server,
      int promptTokens,
      int predictedBlocks,
      int indexBlocks,
      int blockBytes,
      int predictedTokens,
      int cachedTokens,
      int computedTokens,
      int evictedTokens,
      int notYetComputedTokens,
      int beyondHorizonTokens,
      int unseenTokens,
      int boundaryTokens,
      double waitSeconds) {

    /** The index predicted at least one engine block more than the engine had. */
    public boolean falseHit() {
      return evictedTokens + notYetComputedTokens > 0;
    }
  }

  /**
   * What a sent pick leaves for the analysis: no prompt text or token ids (those would hold ~60 KB
   * a request).
   */
  private record Sent(
      int id,
      int step,
      int server,
      RequestTrace trace,
      PrefixMatch match,
      int promptTokens,
      int predictedTokens,
      int horizonTokens,
      long[] blockHashes) {}

  private final PromptRenderer renderer;
  private final int engineBlockTokens;
  private final Map<Integer, PrefixMatch> predicted = new HashMap<>();
  private final List<Sent> sent = new ArrayList<>();
  private final Map<Integer, Integer> charsOfToken = new HashMap<>();

  public PrefixAudit(PromptRenderer renderer, int engineBlockTokens) {
    this.renderer = renderer;
    this.engineBlockTokens = engineBlockTokens;
  }

  @Override
  public void started(Router router, List<LabServer> servers) {
    if (router instanceof LabPicker picker) {
      picker.onPick(this::picked);
    }
  }

  private void picked(WorkloadRequest request, PickResult result) {
    if (!result.prefixMatches().isEmpty()) {
      predicted.put(request.id(), result.prefixMatches().get(0));
    }
  }

  @Override
  public void sent(LabRequest request, int server, RequestTrace trace) {
    PrefixMatch m = predicted.remove(request.request().id());
    if (m == null) {
      return;
    }
    int[] ids = request.tokenIds();
    long promptBytes = request.promptText().getBytes(StandardCharsets.UTF_8).length;
    int predictedTokens =
        tokensWithin(ids, Math.min((long) m.matchedBlocks() * m.blockBytes(), promptBytes));
    int horizonTokens =
        tokensWithin(ids, Math.min((long) m.totalBlocks() * m.blockBytes(), promptBytes));
    sent.add(
        new Sent(
            request.request().id(),
            request.request().step(),
            server,
            trace,
            m,
            ids.length,
            predictedTokens,
            horizonTokens,
            blockHashes(ids, engineBlockTokens)));
  }

  /** Whether the policy had a prefix index to audit. */
  public boolean audited() {
    return !sent.isEmpty();
  }

  /** The audited picks, once the run is over (the engines' traces are final). */
  public List<Row> rows() {
    Map<Integer, Map<Long, Double>> computedAt = computedAt();
    List<Row> rows = new ArrayList<>(sent.size());
    for (Sent s : sent) {
      RequestTrace trace = s.trace();
      if (Double.isNaN(trace.firstScheduledTime())) {
        continue;
      }
      rows.add(row(s, computedAt.get(s.server())));
    }
    return rows;
  }

  private Row row(Sent s, Map<Long, Double> computed) {
    PrefixMatch m = s.match();
    int bs = engineBlockTokens;
    int predicted = s.predictedTokens();
    int cached = s.trace().cachedTokens();
    long[] hashes = s.blockHashes();
    int computedBlocks = 0;
    while (computedBlocks < hashes.length
        && computed != null
        && computed.getOrDefault(hashes[computedBlocks], Double.POSITIVE_INFINITY)
            < s.trace().firstScheduledTime()) {
      computedBlocks++;
    }
    int p16 = predicted / bs;
    int a16 = cached / bs;
    int evicted = Math.max(0, Math.min(p16, computedBlocks) - a16) * bs;
    int notYet = Math.max(0, p16 - Math.max(a16, computedBlocks)) * bs;
    int under = Math.max(0, a16 - p16) * bs;
    boolean fullMatch = m.matchedBlocks() == m.totalBlocks() && predicted == s.horizonTokens();
    return new Row(
        s.id(),
        s.step(),
        s.server(),
        s.promptTokens(),
        m.matchedBlocks(),
        m.totalBlocks(),
        m.blockBytes(),
        predicted,
        cached,
        computedBlocks * bs,
        evicted,
        notYet,
        fullMatch ? under : 0,
        fullMatch ? 0 : under,
        predicted - p16 * bs,
        s.trace().firstScheduledTime() - s.trace().arrivalTime());
  }

  /**
   * Per server, when each whole prompt block (by chain hash) was first computed there: its
   * request's first token.
   */
  private Map<Integer, Map<Long, Double>> computedAt() {
    Map<Integer, Map<Long, Double>> out = new HashMap<>();
    for (Sent s : sent) {
      double at = s.trace().firstTokenTime();
      if (Double.isNaN(at)) {
        continue;
      }
      Map<Long, Double> server = out.computeIfAbsent(s.server(), k -> new HashMap<>());
      for (long h : s.blockHashes()) {
        server.merge(h, at, Math::min);
      }
    }
    return out;
  }

  /**
   * A chain hash per whole block of {@code bs} token ids: equal prefixes give equal leading hashes.
   */
  static long[] blockHashes(int[] ids, int bs) {
    long[] out = new long[ids.length / bs];
    long h = 0x9E3779B97F4A7C15L;
    for (int b = 0; b < out.length; b++) {
      for (int i = b * bs; i < (b + 1) * bs; i++) {
        h = (h ^ ids[i]) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
      }
      out[b] = h;
    }
    return out;
  }

  /**
   * Leading tokens whose text lies wholly within the first {@code chars} UTF-8 bytes of the prompt.
   */
  private int tokensWithin(int[] ids, long chars) {
    int bos = renderer.beginOfText().length;
    long end = 0;
    int n = bos;
    while (n < ids.length) {
      end += charsOf(ids[n]);
      if (end > chars) {
        break;
      }
      n++;
    }
    return n;
  }

  private int charsOf(int id) {
    return charsOfToken.computeIfAbsent(
        id,
        k -> renderer.tokenizer().decode(new int[] {k}).getBytes(StandardCharsets.UTF_8).length);
  }
}
