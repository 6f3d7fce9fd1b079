package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.TypedName;
import io.igw.picker.scheduling.PluginFactory;
import java.util.List;

/** (maxQ − q)/(maxQ − minQ) over the candidates, q = waiting plus unreported picks; 1 for all when equal. */
public final class QueueScorer implements Scorer {
  public static final String TYPE = "queue-scorer";

  public static final PluginFactory FACTORY = p -> {
    p.done();
    return new QueueScorer(p.plugin());
  };

  private final TypedName typedName;

  public QueueScorer(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      scores[i] = candidates.get(i).queueEstimate(context.nowMillis());
    }
    LowerIsBetter.normalise(scores);
  }
}
