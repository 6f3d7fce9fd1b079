package io.igw.bench.lab;

import io.igw.bench.log.BenchLog;
import io.igw.bench.report.PolicyRun;
import io.igw.bench.report.RequestOutcome;
import io.igw.bench.workload.LoadLadder;
import io.igw.bench.workload.PromptText;
import io.igw.bench.workload.RequestSequence;
import io.igw.bench.workload.WorkloadRequest;
import io.igw.simulator.engine.GenerationListener;
import io.igw.simulator.engine.GenerationRequest;
import io.igw.simulator.engine.GenerationResult;
import io.igw.simulator.engine.RequestTrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a request sequence against fresh engines under one policy, as a discrete-event loop on
 * virtual time: the next event is the earliest of an engine step ending, the policy's own periodic
 * work (for the picker: its metrics scrapes every 50 ms, flow control's dispatch, the in-flight
 * expiry sweep; see {@link LabPicker}) and a request arrival. On a tie, engines step first, then
 * the policy's timers, then the arrival. A request still unfinished {@code timeoutSeconds} after it
 * was sent is abandoned by its client (cancelled on the server, status 504); its TTFT is then the
 * time it did get a first token, or at least the timeout (censored). Runs until every request is
 * done or abandoned. A policy with flow control may hold a request at arrival and decide it later;
 * the time it was held counts in its TTFT and end-to-end latency. With a client cap ({@link
 * LabSettings#clientMaxInFlight}), a request arriving while that many are in flight waits in the
 * client's queue and is sent, in arrival order, when one ends; as in a load generator with a fixed
 * number of workers, its latencies (and its timeout) start when it is sent.
 */
public final class RoutingLab {
  private final LabSettings settings;
  private final BenchLog progress;
  private final PromptText promptText;

  public RoutingLab(LabSettings settings, BenchLog progress) {
    this.settings = settings;
    this.progress = progress;
    this.promptText = PromptText.forProfile(settings.engine().profile());
  }

  public PolicyRun run(Policy policy, RequestSequence sequence) {
    return run(policy, sequence, LabObserver.NONE);
  }

  /** Runs {@code policy} on fresh servers, telling {@code observer} what happens. */
  public PolicyRun run(Policy policy, RequestSequence sequence, LabObserver observer) {
    List<LabServer> servers = new ArrayList<>();
    for (int i = 0; i < settings.servers(); i++) {
      servers.add(new LabServer(i, settings.engine()));
    }
    Router router = policy.create(cluster(servers, sequence));
    observer.started(router, servers);
    PolicyRun run = run(policy.name(), router, servers, sequence, observer);
    if (router instanceof LabPicker picker && picker.kvEventCounts() != null) {
      LabKvEvents.Counts kv = picker.kvEventCounts();
      progress.event(
          "lab_kv_events",
          "policy",
          policy.name(),
          "batches",
          kv.batches(),
          "applied",
          kv.applied(),
          "lost",
          kv.lost(),
          "replayed",
          kv.replayed(),
          "decode_errors",
          kv.decodeErrors(),
          "picks_with_tokens",
          kv.tokenized(),
          "picks_without_tokens",
          kv.untokenized());
    }
    return run;
  }

  /**
   * The cluster a policy is built over: these servers, and the objectives and models the sequence
   * names.
   */
  public LabCluster cluster(List<LabServer> servers, RequestSequence sequence) {
    Map<String, Integer> objectives = new HashMap<>();
    Set<String> models = new HashSet<>();
    for (WorkloadRequest r : sequence.requests()) {
      models.add(r.model());
      if (r.objective() != null) {
        objectives.putIfAbsent(r.objective(), r.priority());
      }
    }
    return new LabCluster(servers, settings, objectives, models);
  }

  /**
   * Replays {@code sequence} through {@code router}, built over {@code servers} (fresh engines).
   */
  public PolicyRun run(
      String policyName,
      Router router,
      List<LabServer> servers,
      RequestSequence sequence,
      LabObserver observer) {
    long wallStart = System.nanoTime();
    LoadLadder ladder = sequence.ladder();
    long[] tokensByStep = new long[ladder.size()];
    double ladderEnd = ladder.totalSeconds();
    List<WorkloadRequest> requests = sequence.requests();
    RequestTrace[] traces = new RequestTrace[requests.size()];
    RequestOutcome[] refused = new RequestOutcome[requests.size()];
    int[] servedBy = new int[requests.size()];
    double[] heldSeconds = new double[requests.size()];
    double[] sentSeconds = new double[requests.size()];
    java.util.ArrayDeque<Integer> deadlines = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Integer> clientQueue = new java.util.ArrayDeque<>();
    int cap = settings.clientMaxInFlight();
    int[] lastStepLogged = {-1};
    java.util.function.ObjDoubleConsumer<WorkloadRequest> send =
        (request, at) -> {
          sentSeconds[request.id()] = at;
          if (request.step() != lastStepLogged[0]) {
            lastStepLogged[0] = request.step();
            progress.event(
                "lab_step",
                "policy",
                policyName,
                "step",
                (request.step() + 1) + "/" + ladder.size(),
                "qps",
                ladder.step(request.step()).qps(),
                "virtual_s",
                Math.round(at),
                "wall_s",
                Math.round((System.nanoTime() - wallStart) / 1e9));
          }
          PromptText.Rendered rendered = promptText.render(request.prompt());
          LabRequest lab = new LabRequest(request, rendered.text(), rendered.tokenIds());
          RoutingDecision decision = router.route(lab, Math.round(at * 1000));
          if (!decision.isHeld()) {
            start(
                router,
                servers,
                lab,
                decision,
                at,
                traces,
                refused,
                servedBy,
                tokensByStep,
                ladder,
                ladderEnd,
                observer);
          }
          if (traces[request.id()] != null) {
            deadlines.addLast(request.id());
          }
        };
    int next = 0;
    while (true) {
      LabServer stepping = earliestEngine(servers);
      double engineTime =
          stepping == null ? Double.POSITIVE_INFINITY : stepping.engine().nextEventTime();
      double arrival =
          next < requests.size() ? requests.get(next).arrivalSeconds() : Double.POSITIVE_INFINITY;
      if (stepping == null
          && next >= requests.size()
          && router.held() == 0
          && clientQueue.isEmpty()) {
        break;
      }
      long timerMillis = router.nextTimerMillis();
      double timerTime =
          timerMillis == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : timerMillis / 1000.0;
      double deadline = nextDeadline(sentSeconds, traces, deadlines);
      double now;
      if (deadline < engineTime && deadline < timerTime && deadline < arrival) {
        now = deadline;
        abandon(router, servers, requests, traces, servedBy, deadlines.removeFirst(), deadline);
      } else if (engineTime <= timerTime && engineTime <= arrival) {
        now = engineTime;
        stepping.engine().advanceTo(engineTime);
      } else if (timerTime <= arrival) {
        now = timerTime;
        router.runTimers(timerMillis);
      } else {
        now = arrival;
        if (cap > 0 && (!clientQueue.isEmpty() || inFlight(servers, router) >= cap)) {
          clientQueue.addLast(next);
        } else {
          send.accept(requests.get(next), arrival);
        }
        next++;
      }
      double decidedAt = now;
      router.drain(
          (lab, decision) -> {
            WorkloadRequest held = lab.request();
            heldSeconds[held.id()] = decidedAt - sentSeconds[held.id()];
            start(
                router,
                servers,
                lab,
                decision,
                decidedAt,
                traces,
                refused,
                servedBy,
                tokensByStep,
                ladder,
                ladderEnd,
                observer);
            if (traces[held.id()] != null) {
              deadlines.addLast(held.id());
            }
          });
      while (!clientQueue.isEmpty() && inFlight(servers, router) < cap) {
        send.accept(requests.get(clientQueue.pollFirst()), now);
      }
    }
    List<RequestOutcome> outcomes = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      outcomes.add(
          refused[i] != null
              ? refused[i]
              : outcome(requests.get(i), traces[i], servedBy[i], heldSeconds[i]));
    }
    return new PolicyRun(policyName, outcomes, tokensByStep, (System.nanoTime() - wallStart) / 1e9);
  }

  /**
   * Sends {@code lab} where {@code decision} says, at virtual time {@code now}, or records its
   * refusal.
   */
  private void start(
      Router router,
      List<LabServer> servers,
      LabRequest lab,
      RoutingDecision decision,
      double now,
      RequestTrace[] traces,
      RequestOutcome[] refused,
      int[] servedBy,
      long[] tokensByStep,
      LoadLadder ladder,
      double ladderEnd,
      LabObserver observer) {
    WorkloadRequest request = lab.request();
    int id = request.id();
    if (!decision.routed()) {
      refused[id] =
          RequestOutcome.refused(
              id, request.step(), request.priority(), decision.status(), lab.tokenIds().length);
      return;
    }
    LabServer server = servers.get(decision.server());
    String adapter = request.model().equals(settings.baseModel()) ? null : request.model();
    GenerationRequest generation =
        new GenerationRequest(
            "req-" + id, adapter, lab.tokenIds(), request.outputTokens(), "length");
    GenerationListener listener =
        new GenerationListener() {
          @Override
          public void onToken(int index) {
            double t = server.engine().now();
            if (t < ladderEnd) {
              tokensByStep[ladder.stepAt(t)]++;
            }
          }

          @Override
          public void onFinished(GenerationResult result) {
            server.finished();
            router.finished(server.index(), request, Math.round(server.engine().now() * 1000));
          }
        };
    try {
      traces[id] = server.engine().submit(generation, now, listener);
      servedBy[id] = server.index();
      server.started();
      observer.sent(lab, server.index(), traces[id]);
    } catch (IllegalArgumentException e) {
      refused[id] =
          RequestOutcome.refused(
              id, request.step(), request.priority(), 400, lab.tokenIds().length);
    }
  }

  /**
   * When the oldest request still in flight times out (+∞ when none is); drops finished ones from
   * the queue. A request's clock starts when its client sends it.
   */
  private double nextDeadline(
      double[] sentSeconds, RequestTrace[] traces, java.util.ArrayDeque<Integer> deadlines) {
    while (!deadlines.isEmpty() && traces[deadlines.peekFirst()].finished()) {
      deadlines.removeFirst();
    }
    return deadlines.isEmpty()
        ? Double.POSITIVE_INFINITY
        : sentSeconds[deadlines.peekFirst()] + settings.timeoutSeconds();
  }

  /** Requests the clients have sent and not seen end: on a server, or held by the policy. */
  private static int inFlight(List<LabServer> servers, Router router) {
    int n = router.held();
    for (LabServer s : servers) {
      n += s.inFlight();
    }
    return n;
  }

  private static void abandon(
      Router router,
      List<LabServer> servers,
      List<WorkloadRequest> requests,
      RequestTrace[] traces,
      int[] servedBy,
      int id,
      double now) {
    LabServer server = servers.get(servedBy[id]);
    server.engine().advanceTo(now);
    if (!traces[id].finished()) {
      traces[id].cancel();
      server.finished();
      router.finished(server.index(), requests.get(id), Math.round(now * 1000));
    }
  }

  private static LabServer earliestEngine(List<LabServer> servers) {
    LabServer best = null;
    double bestTime = Double.POSITIVE_INFINITY;
    for (LabServer s : servers) {
      double t = s.engine().nextEventTime();
      if (t < bestTime) {
        bestTime = t;
        best = s;
      }
    }
    return best;
  }

  private RequestOutcome outcome(
      WorkloadRequest request, RequestTrace trace, int server, double held) {
    if (trace.finished()) {
      return new RequestOutcome(
          request.id(),
          request.step(),
          request.priority(),
          200,
          server,
          held + trace.ttft(),
          trace.tpot(),
          held + trace.e2eLatency(),
          trace.promptTokens(),
          trace.cachedTokens(),
          trace.generatedTokens());
    }
    double ttft = Double.isNaN(trace.ttft()) ? settings.timeoutSeconds() : held + trace.ttft();
    return new RequestOutcome(
        request.id(),
        request.step(),
        request.priority(),
        RequestOutcome.TIMED_OUT,
        server,
        ttft,
        Double.NaN,
        Double.NaN,
        trace.promptTokens(),
        trace.cachedTokens(),
        trace.generatedTokens());
  }
}
