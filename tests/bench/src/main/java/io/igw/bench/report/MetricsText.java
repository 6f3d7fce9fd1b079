package io.igw.bench.report;

/** Reading a process's Prometheus text (its {@code /metrics}) for the bench's checks. */
public final class MetricsText {
  private MetricsText() {}

  /**
   * The sum of every sample named exactly {@code name} whose labels contain {@code label} ("" for
   * any); 0 when there is none.
   */
  public static double sum(String metrics, String name, String label) {
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      String labels = "";
      if (rest.startsWith("{")) {
        int end = rest.indexOf('}');
        labels = rest.substring(1, end);
        rest = rest.substring(end + 1);
      }
      if (!rest.startsWith(" ") || !labels.contains(label)) {
        continue;
      }
      total += Double.parseDouble(rest.trim().split(" ")[0]);
    }
    return total;
  }
}
