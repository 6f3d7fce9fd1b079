package io.igw.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Writes a report under {@code results/<yyyyMMdd-HHmmss>-<workload>[-<mode>]/}: CSV, JSON, PNG and
 * Markdown.
 */
public final class ResultsFolder {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private ResultsFolder() {}

  public static Path write(Path resultsRoot, BenchReport report) throws IOException {
    String name =
        LocalDateTime.now().format(STAMP)
            + "-"
            + report.workload().replaceAll("[^A-Za-z0-9._-]", "_")
            + ("lab".equals(report.mode()) ? "" : "-" + report.mode());
    Path folder = resultsRoot.resolve(name);
    Files.createDirectories(folder);
    CsvReport.write(report, folder);
    JsonReport.write(report, folder);
    ChartReport.write(report, folder);
    MarkdownSummary.write(report, folder);
    return folder;
  }
}
