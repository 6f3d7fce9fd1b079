package io.igw.bench.lab;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.flowcontrol.FlowController;
import io.igw.picker.flowcontrol.FlowItem;
import io.igw.bench.workload.Headers;
import io.igw.bench.workload.WorkloadRequest;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.SchedulingRequest;
import io.igw.picker.scheduling.config.SchedulerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The picker's scheduling on virtual time, as its director runs it: endpoints that may serve the model, admission
 * (priority &lt; 0 is shed while the saturation detector says the pool is saturated), the scheduler's profiles, and
 * the pick recorded on the chosen endpoint (so the queue estimate counts it until the next scrape) and in flight there
 * until it ends (what the active-request and token-load scorers read). Completions
 * hash the prompt text, as the picker's OpenAI parser does for {@code /v1/completions}. With the config's flow
 * control on, requests wait in the picker's {@link FlowController} while the pool is saturated instead of being
 * shed, and are released after each scrape (highest priority first) or expire with 503 after their TTL.
 */
public final class SchedulerRouter implements Router {
  private final SchedulerConfig config;
  private final List<EndpointState> endpoints = new ArrayList<>();
  private final Map<EndpointState, Integer> indexOf = new IdentityHashMap<>();
  private final RandomGenerator random;
  private final FlowController<LabRequest> flow;
  private long nowMillis;

  public SchedulerRouter(SchedulerConfig config, List<LabServer> servers, RandomGenerator random) {
    this.config = config;
    this.random = random;
    this.flow = config.flowControlEnabled()
        ? new FlowController<>(config.flowControl(), () -> config.saturationDetector().isSaturated(endpoints, nowMillis))
        : null;
    for (LabServer server : servers) {
      endpoints.add(server.state());
      indexOf.put(server.state(), server.index());
    }
  }

  @Override
  public RoutingDecision route(LabRequest lab, long nowMillis) {
    this.nowMillis = nowMillis;
    if (flow == null) {
      return schedule(lab, nowMillis, true);
    }
    FlowItem<LabRequest> item = new FlowItem<>(lab, lab.request().priority(), lab.promptText().length());
    return switch (flow.offer(item, nowMillis)) {
      case ADMITTED -> schedule(lab, nowMillis, false);
      case QUEUED -> RoutingDecision.held();
      case REFUSED -> RoutingDecision.shed("flow control band full");
    };
  }

  @Override
  public void release(long nowMillis, BiConsumer<LabRequest, RoutingDecision> decided) {
    if (flow == null || flow.queued() == 0) {
      return;
    }
    this.nowMillis = nowMillis;
    flow.expire(nowMillis, item -> decided.accept(item.payload(), RoutingDecision.error(503, "queue_timeout")));
    flow.dispatchReady(nowMillis, item -> decided.accept(item.payload(), schedule(item.payload(), nowMillis, false)));
  }

  /** Ends the request's in-flight accounting, as the completion feed does for the director. */
  @Override
  public void finished(int server, WorkloadRequest request) {
    endpoints.get(server).endRequest(request.prompt().tokens());
  }

  @Override
  public int held() {
    return flow == null ? 0 : flow.queued();
  }

  private RoutingDecision schedule(LabRequest lab, long nowMillis, boolean shedWhenSaturated) {
    var request = lab.request();
    List<EndpointState> candidates = new ArrayList<>(endpoints.size());
    for (EndpointState e : endpoints) {
      if (e.mayServe(request.model())) {
        candidates.add(e);
      }
    }
    if (candidates.isEmpty()) {
      return RoutingDecision.error(404, "model_not_found");
    }
    if (shedWhenSaturated && request.priority() < 0 && config.saturationDetector().isSaturated(endpoints, nowMillis)) {
      return RoutingDecision.shed("pool saturated");
    }
    String objective = request.objective();
    Function<String, String> headers = objective == null ? SchedulingRequest.NO_HEADERS
        : name -> Headers.OBJECTIVE.equalsIgnoreCase(name) ? objective : null;
    SchedulingRequest scheduling = new SchedulingRequest(Integer.toString(request.id()), request.model(),
        lab.promptText().getBytes(StandardCharsets.UTF_8), headers, request.priority());
    ProfileResult result = config.scheduler().schedule(new SchedulingContext(scheduling, nowMillis, random),
        candidates);
    if (result.endpoints().isEmpty()) {
      return RoutingDecision.error(503, "no endpoint left by the filters");
    }
    EndpointState chosen = result.endpoints().get(0);
    chosen.startRequest(request.prompt().tokens());
    chosen.recordPick(nowMillis);
    return RoutingDecision.to(indexOf.get(chosen));
  }
}
