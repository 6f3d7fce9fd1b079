package io.igw.picker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.scheduling.config.EndpointPickerConfigLoader;
import io.igw.picker.testing.Endpoints;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A small routing lab on virtual time: 4 servers that each cache 3 prefixes (LRU), requests sharing
 * one of 8 long prefixes (one hot: 40% of the traffic), a prefill cost for what a server has not
 * cached. It runs the real scheduler presets and compares mean latency and cache hits. The hot
 * prefix is more than one server can take, so it must spread, but no further.
 */
class SharedPrefixLabTest {
  static final int SERVERS = 4;
  static final int REQUESTS = 6000;
  static final String[] PREFIXES = new String[8];
  static final int CACHED_GROUPS_PER_SERVER = 3;

  static {
    for (int g = 0; g < PREFIXES.length; g++) {
      PREFIXES[g] = ("system prompt " + g + " ").repeat(160).substring(0, 2048); // 32 blocks
    }
  }

  record Outcome(double meanLatency, double hitRatio, int maxQueue) {}

  static final class Server {
    final EndpointState state;
    final ArrayDeque<Integer> queue = new ArrayDeque<>(); // remaining service steps per request
    final java.util.LinkedHashMap<Integer, Boolean> cachedGroups =
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > CACHED_GROUPS_PER_SERVER;
          }
        };
    final ArrayDeque<Long> arrivals = new ArrayDeque<>();

    Server(int index) {
      state = Endpoints.state(index, 0, 0, 0);
    }
  }

  static Outcome run(String preset, long seed) {
    Scheduler scheduler = EndpointPickerConfigLoader.preset(preset).scheduler();
    SplittableRandom random = new SplittableRandom(seed);
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < SERVERS; i++) {
      servers.add(new Server(i + 1));
    }
    List<EndpointState> candidates = servers.stream().map(s -> s.state).toList();
    long totalLatency = 0;
    int completed = 0;
    int hits = 0;
    int maxQueue = 0;
    for (long step = 0; completed < REQUESTS; step++) {
      scrape(servers, step);
      if (random.nextDouble() < 0.9) {
        double u = random.nextDouble();
        int group = u < 0.4 ? 0 : 1 + (int) ((u - 0.4) / 0.6 * (PREFIXES.length - 1));
        String prompt = PREFIXES[group] + "question " + random.nextInt(1_000_000);
        SchedulingRequest request =
            new SchedulingRequest(
                "r" + step, "m", PromptBytes.utf8(prompt), SchedulingRequest.NO_HEADERS, 0);
        ProfileResult result =
            scheduler.schedule(new SchedulingContext(request, step, random), candidates);
        Server chosen = servers.get(candidates.indexOf(result.endpoints().get(0)));
        chosen.state.recordPick(step);
        boolean hit = chosen.cachedGroups.put(group, Boolean.TRUE) != null;
        hits += hit ? 1 : 0;
        chosen.queue.add(
            hit ? 2 : 8); // decode 2 steps; an uncached 2k-token prefix adds 6 steps of prefill
        chosen.arrivals.add(step);
        maxQueue = Math.max(maxQueue, chosen.queue.size());
      }
      for (Server s : servers) {
        if (!s.queue.isEmpty()) {
          int left = s.queue.poll() - 1;
          if (left > 0) {
            s.queue.addFirst(left);
          } else {
            totalLatency += step + 1 - s.arrivals.poll();
            completed++;
          }
        }
      }
    }
    return new Outcome((double) totalLatency / completed, (double) hits / completed, maxQueue);
  }

  static void scrape(List<Server> servers, long step) {
    for (Server s : servers) {
      int running = s.queue.isEmpty() ? 0 : 1;
      int waiting = Math.max(0, s.queue.size() - 1);
      double kv = Math.min(1.0, 0.1 * s.cachedGroups.size() + 0.02 * s.queue.size());
      s.state.recordScrape(
          new MetricsSnapshot(waiting, running, kv, Set.of(), Set.of(), 0, 16, 1000, step, 0),
          s.state.picksIssued());
    }
  }

  @Test
  void defaultBeatsTheReferenceOnASharedHotPrefix() {
    for (long seed : new long[] {11, 12, 13}) {
      Outcome reference = run("reference", seed);
      Outcome igw = run("default", seed);
      System.out.println(
          "shared-prefix lab seed=" + seed + " reference=" + reference + " default=" + igw);
      assertThat(igw.meanLatency()).isLessThan(0.9 * reference.meanLatency());
      assertThat(igw.maxQueue()).isLessThan(reference.maxQueue());
      assertThat(igw.hitRatio()).isGreaterThan(0.95);
    }
  }
}
