package io.igw.bench.lab;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.datastore.MetricsSnapshot;
import io.igw.picker.metrics.EngineMetricNames;
import io.igw.picker.metrics.EngineMetricsMapper;
import io.igw.simulator.metrics.MetricsFormat;
import java.util.List;

/**
 * The picker's metrics collector on virtual time: each scrape renders the engine's {@code /metrics}
 * text as the simulated server answers it (its engine's metric names) and maps it with the
 * collector's own {@link EngineMetricsMapper} (the Prometheus text parser and the engine's names),
 * then records it in the endpoint's state with the pick count read when the scrape started, as
 * {@code MetricsCollector} does with a scraped body. A scrape takes no virtual time and never
 * fails.
 */
final class LabCollector {
  private final List<LabServer> servers;
  private final List<EndpointState> states;
  private final String servedModel;
  private final MetricsFormat[] formats;
  private final EngineMetricsMapper[] mappers;

  /**
   * {@code states.get(i)} is the picker's view of {@code servers.get(i)}, which serves {@code
   * servedModel}.
   */
  LabCollector(List<LabServer> servers, List<EndpointState> states, String servedModel) {
    this.servers = servers;
    this.states = states;
    this.servedModel = servedModel;
    this.formats = new MetricsFormat[servers.size()];
    this.mappers = new EngineMetricsMapper[servers.size()];
    for (int i = 0; i < servers.size(); i++) {
      String engine = states.get(i).endpoint().engine();
      formats[i] = MetricsFormat.named(engine);
      mappers[i] = new EngineMetricsMapper(EngineMetricNames.forEngine(engine));
    }
  }

  EndpointState state(int index) {
    return states.get(index);
  }

  /** Scrapes every server at {@code seconds} of virtual time. */
  void scrapeAll(double seconds) {
    long millis = Math.round(seconds * 1000);
    for (int i = 0; i < servers.size(); i++) {
      EndpointState state = states.get(i);
      long picksAtStart = state.picksIssued();
      LabServer server = servers.get(i);
      server.engine().advanceTo(seconds);
      String text = formats[i].render(servedModel, server.engine().snapshot(), seconds);
      MetricsSnapshot snapshot = mappers[i].map(text, millis);
      state.recordScrape(snapshot, picksAtStart);
    }
  }
}
