package io.igw.bench.lab;

import io.igw.bench.workload.LoadLadder;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The prefix audit's outputs: one CSV row per audited pick, and a Markdown table per policy with
 * one line per load step: picks, how many the index promised a hit the engine did not give (false
 * hits), and where the predicted and the cached tokens parted (shares of the predicted tokens;
 * tokens per pick for the rest).
 */
public final class PrefixAuditReport {
  private PrefixAuditReport() {}

  public static void writeCsv(Path file, String policy, List<PrefixAudit.Row> rows, boolean append)
      throws IOException {
    try (Writer out =
        append
            ? Files.newBufferedWriter(
                file,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)
            : Files.newBufferedWriter(file)) {
      if (!append) {
        out.write(
            "policy,id,step,server,prompt_tokens,predicted_blocks,index_blocks,block_bytes,predicted_tokens,"
                + "cached_tokens,computed_tokens,evicted_tokens,not_yet_computed_tokens,beyond_horizon_tokens,"
                + "unseen_tokens,boundary_tokens,wait_s\n");
      }
      for (PrefixAudit.Row r : rows) {
        out.write(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.3f%n",
                policy,
                r.id(),
                r.step(),
                r.server(),
                r.promptTokens(),
                r.predictedBlocks(),
                r.indexBlocks(),
                r.blockBytes(),
                r.predictedTokens(),
                r.cachedTokens(),
                r.computedTokens(),
                r.evictedTokens(),
                r.notYetComputedTokens(),
                r.beyondHorizonTokens(),
                r.unseenTokens(),
                r.boundaryTokens(),
                r.waitSeconds()));
      }
    }
  }

  public static String markdown(String policy, List<PrefixAudit.Row> rows, LoadLadder ladder) {
    StringBuilder out =
        new StringBuilder("prefix audit, policy ")
            .append(policy)
            .append('\n')
            .append(
                "| QPS | picks | predicted a hit | false hits | predicted tok/pick | cached tok/pick | evicted | "
                    + "not yet computed | precision | beyond horizon tok/pick | unseen tok/pick | boundary tok/pick |\n")
            .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int step = 0; step < ladder.size(); step++) {
      int s = step;
      line(out, format(ladder.step(step).qps()), rows.stream().filter(r -> r.step() == s).toList());
    }
    line(out, "all", rows);
    return out.toString();
  }

  private static void line(StringBuilder out, String label, List<PrefixAudit.Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    long predictedHit = rows.stream().filter(r -> r.predictedTokens() >= 16).count();
    long falseHits = rows.stream().filter(PrefixAudit.Row::falseHit).count();
    long predicted = rows.stream().mapToLong(PrefixAudit.Row::predictedTokens).sum();
    long boundary = rows.stream().mapToLong(PrefixAudit.Row::boundaryTokens).sum();
    long evicted = rows.stream().mapToLong(PrefixAudit.Row::evictedTokens).sum();
    long notYet = rows.stream().mapToLong(PrefixAudit.Row::notYetComputedTokens).sum();
    long wholeBlocks = predicted - boundary;
    double n = rows.size();
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %d | %d | %d (%.1f %%) | %.0f | %.0f | %s | %s | %s | %.0f | %.0f | %.1f |%n",
            label,
            rows.size(),
            predictedHit,
            falseHits,
            100.0 * falseHits / n,
            predicted / n,
            rows.stream().mapToLong(PrefixAudit.Row::cachedTokens).sum() / n,
            share(evicted, wholeBlocks),
            share(notYet, wholeBlocks),
            share(wholeBlocks - evicted - notYet, wholeBlocks),
            rows.stream().mapToLong(PrefixAudit.Row::beyondHorizonTokens).sum() / n,
            rows.stream().mapToLong(PrefixAudit.Row::unseenTokens).sum() / n,
            boundary / n));
  }

  private static String share(long part, long whole) {
    return whole == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
