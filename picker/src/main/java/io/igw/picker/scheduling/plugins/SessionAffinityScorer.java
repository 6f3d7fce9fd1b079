package io.igw.picker.scheduling.plugins;

import io.igw.picker.datastore.EndpointState;
import io.igw.picker.scheduling.PluginFactory;
import io.igw.picker.scheduling.PreRequest;
import io.igw.picker.scheduling.ProfileResult;
import io.igw.picker.scheduling.SchedulingContext;
import io.igw.picker.scheduling.Scorer;
import io.igw.picker.scheduling.TypedName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sticky sessions for multi-turn chat: a request carrying a session header (default {@code
 * x-session-id}) scores 1 on the endpoint that served the session's last request and 0 elsewhere;
 * requests without it score 0 everywhere. Sessions are remembered per endpoint address for {@code
 * ttlSeconds}, at most {@code maxSessions} (least recently used first out), so hostile session ids
 * cannot grow memory.
 */
public final class SessionAffinityScorer implements Scorer, PreRequest {
  public static final String TYPE = "session-affinity-scorer";

  public static final PluginFactory FACTORY =
      p -> {
        String header = p.stringValue("headerName", "x-session-id");
        int maxSessions = p.intValue("maxSessions", 100_000, 1, 10_000_000);
        int ttlSeconds = p.intValue("ttlSeconds", 600, 1, 86_400);
        p.done();
        return new SessionAffinityScorer(p.plugin(), header, maxSessions, ttlSeconds * 1000L);
      };

  private static final int MAX_SESSION_ID_LENGTH = 256;

  private record Session(String address, long seenAtMillis) {}

  private final TypedName typedName;
  private final String header;
  private final long ttlMillis;
  private final Map<String, Session> sessions;

  public SessionAffinityScorer(
      TypedName typedName, String header, int maxSessions, long ttlMillis) {
    this.typedName = typedName;
    this.header = header;
    this.ttlMillis = ttlMillis;
    this.sessions =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
            return size() > maxSessions;
          }
        };
  }

  @Override
  public TypedName typedName() {
    return typedName;
  }

  @Override
  public void score(SchedulingContext context, List<EndpointState> candidates, double[] scores) {
    String id = sessionId(context);
    Session session;
    synchronized (sessions) {
      session = id == null ? null : sessions.get(id);
    }
    boolean fresh = session != null && context.nowMillis() - session.seenAtMillis() < ttlMillis;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = fresh && candidates.get(i).address().equals(session.address()) ? 1.0 : 0.0;
    }
  }

  @Override
  public void preRequest(SchedulingContext context, ProfileResult result) {
    String id = sessionId(context);
    if (id == null || result.endpoints().isEmpty()) {
      return;
    }
    synchronized (sessions) {
      sessions.put(id, new Session(result.endpoints().get(0).address(), context.nowMillis()));
    }
  }

  private String sessionId(SchedulingContext context) {
    String id = context.request().header(header);
    return id == null || id.isEmpty() || id.length() > MAX_SESSION_ID_LENGTH ? null : id;
  }

  public int sessions() {
    synchronized (sessions) {
      return sessions.size();
    }
  }
}
