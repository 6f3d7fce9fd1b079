package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/**
 * (max − a)/(max − min) over the candidates, a = requests in flight from this picker (pick to
 * completion feed or expiry); 1 for all when equal. Unlike the queue scorer it needs no fresh
 * scrape.
 */
public final class ActiveRequestScorer implements Scorer {
  public static final String TYPE = "active-request-scorer";

  public static final PluginFactory FACTORY =
      p -> {
        p.done();
        return new ActiveRequestScorer(p.plugin());
      };

  private final TypedName typedName;

  public ActiveRequestScorer(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      scores[i] = candidates.get(i).inFlight();
    }
    LowerIsBetter.normalise(scores);
  }
}
