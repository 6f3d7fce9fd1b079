package io.igw.bench.overhead;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code overhead}: placeholder until the overhead benchmark lands. */
@Command(name = "overhead", mixinStandardHelpOptions = true, description = "gateway overhead vs direct proxy_pass")
public final class OverheadCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("overhead: not yet");
    return 2;
  }
}
