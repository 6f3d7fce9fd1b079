package io.igw.bench.report;

/** What a report says ran: the command line as typed and the git revision of the working tree. */
public final class RunProvenance {
  private static volatile String commandLine = "./igw bench";

  private RunProvenance() {}

  /** Called once by the command line with its arguments. */
  public static void commandLine(String[] args) {
    commandLine = "./igw bench " + String.join(" ", args);
  }

  public static String commandLine() {
    return commandLine;
  }

  /**
   * {@code git describe --always --dirty} of the working tree, or "unknown": which picker and
   * simulator ran.
   */
  public static String gitRevision() {
    try {
      Process p =
          new ProcessBuilder("git", "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (java.io.IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
