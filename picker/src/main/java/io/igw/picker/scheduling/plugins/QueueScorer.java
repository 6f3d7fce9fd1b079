package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/**
 * (maxQ − q)/(maxQ − minQ) over the candidates; 1 for all when equal. By default q = waiting plus
 * the picks the last scrape could not have seen (igw's estimate, which spreads a burst between two
 * scrapes); with {@code countPendingPicks: false}, q = waiting as scraped, as upstream's queue
 * scorer reads it.
 */
public final class QueueScorer implements Scorer {
  public static final String TYPE = "queue-scorer";

  /**
   * Whether the queue is the scraped waiting count plus unreported picks (igw) or the scraped count
   * alone.
   */
  public record Params(boolean countPendingPicks) {
    public static final Params DEFAULTS = new Params(true);
  }

  public static final PluginFactory FACTORY =
      p -> {
        Params params =
            new Params(p.boolValue("countPendingPicks", Params.DEFAULTS.countPendingPicks()));
        p.done();
        return new QueueScorer(p.plugin(), params);
      };

  private final TypedName typedName;
  private final Params params;

  public QueueScorer(TypedName typedName) {
    this(typedName, Params.DEFAULTS);
  }

  public QueueScorer(TypedName typedName, Params params) {
    this.typedName = typedName;
    this.params = params;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      EndpointState e = candidates.get(i);
      scores[i] =
          params.countPendingPicks()
              ? e.queueEstimate(context.nowMillis())
              : e.metrics() == null ? 0 : e.metrics().waiting();
    }
    LowerIsBetter.normalise(scores);
  }
}
