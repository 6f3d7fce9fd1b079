package io.igw.bench.live;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code live <workload>}: placeholder until the live benchmark lands. */
@Command(name = "live", mixinStandardHelpOptions = true, description = "live benchmark through real NGINX")
public final class LiveCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("live: not yet");
    return 2;
  }
}
