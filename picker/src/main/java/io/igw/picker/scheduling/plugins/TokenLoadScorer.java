package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.List;

/**
 * (max − t)/(max − min) over the candidates, t = prompt tokens (estimated, 4 bytes per token) of
 * the requests this picker sent there and that have not completed: the prefill work a new request
 * would queue behind. Unlike the active-request scorer, one 8,000-token prompt weighs as much as a
 * hundred short ones.
 */
public final class TokenLoadScorer implements Scorer {
  public static final String TYPE = "token-load-scorer";

  public static final PluginFactory FACTORY =
      p -> {
        p.done();
        return new TokenLoadScorer(p.plugin());
      };

  private final TypedName typedName;

  public TokenLoadScorer(TypedName typedName) {
    this.typedName = typedName;
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      scores[i] = candidates.get(i).tokensInFlight();
    }
    LowerIsBetter.normalise(scores);
  }
}
