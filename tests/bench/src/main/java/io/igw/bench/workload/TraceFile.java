package io.igw.bench.workload;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A user's own traffic as JSON Lines, one request a line, replayed as is:
 *
 * <pre>
 * {"t": 0.00, "model": "llama", "prompt_tokens": 7200, "prefix_group": "tenant-7", "prefix_tokens": 6000,
 *  "output_tokens": 1000, "objective": "critical-chat", "priority": 0, "stream": true}
 * {"t": 0.31, "model": "llama", "prompt": "Summarise: ...", "output_tokens": 50}
 * </pre>
 *
 * {@code t} (seconds from the start, required), {@code model} (required), {@code output_tokens}
 * (required), either {@code prompt} (literal text, counted by the served model's tokenizer; a
 * {@code prompt_tokens} beside it is not used) or {@code prompt_tokens} (a text of exactly that
 * many tokens is written); {@code prefix_group} names a shared prefix of {@code prefix_tokens}
 * (requests of one group share it, the rest of the prompt is unique to the line); {@code objective}
 * (header value), {@code priority} (default 0, negative: sheddable), {@code stream} (default true).
 * Lines may come in any order; blank lines and lines starting with {@code #} are skipped. Results
 * are cut into windows of {@code windowSeconds}, each a "step" at its observed rate.
 */
public final class TraceFile {
  static final Set<String> FIELDS =
      Set.of(
          "t",
          "model",
          "prompt",
          "prompt_tokens",
          "prefix_group",
          "prefix_tokens",
          "output_tokens",
          "objective",
          "priority",
          "stream");

  private TraceFile() {}

  public static RequestSequence read(Path file, double windowSeconds, long seed, PromptText text)
      throws IOException {
    List<WorkloadRequest> raw = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        raw.add(parseLine(file.getFileName() + ":" + number, trimmed, raw.size(), seed, text));
      }
    }
    if (raw.isEmpty()) {
      throw new IllegalArgumentException(file + ": no requests");
    }
    raw.sort(Comparator.comparingDouble(WorkloadRequest::arrivalSeconds));
    return windowed(file.getFileName().toString(), raw, windowSeconds);
  }

  static WorkloadRequest parseLine(
      String where, String line, int index, long seed, PromptText tokens) {
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(where + ": not a JSON object");
    }
    for (String key : json.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw new IllegalArgumentException(
            where + ": unknown field " + key + " (known: " + FIELDS + ")");
      }
    }
    double t = number(where, json, "t", true).doubleValue();
    String model = string(where, json, "model", true);
    int output = number(where, json, "output_tokens", true).intValue();
    String text = string(where, json, "prompt", false);
    Number promptTokens = number(where, json, "prompt_tokens", text == null);
    String group = string(where, json, "prefix_group", false);
    Number prefixTokens = number(where, json, "prefix_tokens", group != null);
    Prompt prompt;
    if (text != null) {
      prompt = Prompt.literal(text, tokens.count(text));
    } else if (group != null) {
      int shared = Math.min(prefixTokens.intValue(), promptTokens.intValue());
      prompt =
          Prompt.segment(Seeds.derive(seed, 41, group.hashCode()), shared)
              .then(Seeds.derive(seed, 42, index), promptTokens.intValue() - shared);
    } else {
      prompt = Prompt.segment(Seeds.derive(seed, 42, index), promptTokens.intValue());
    }
    Number priority = number(where, json, "priority", false);
    Boolean stream = json.getValue("stream") instanceof Boolean b ? b : null;
    if (json.containsKey("stream") && stream == null) {
      throw new IllegalArgumentException(where + ": stream must be true or false");
    }
    try {
      return new WorkloadRequest(
          index,
          t,
          0,
          model,
          prompt,
          output,
          string(where, json, "objective", false),
          priority == null ? 0 : priority.intValue(),
          stream == null || stream);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  /** Renumbers the requests in arrival order and cuts the run into windows. */
  static RequestSequence windowed(String name, List<WorkloadRequest> sorted, double windowSeconds) {
    double end = sorted.get(sorted.size() - 1).arrivalSeconds();
    int windows = Math.max(1, (int) Math.ceil((end + 1e-9) / windowSeconds));
    int[] counts = new int[windows];
    for (WorkloadRequest r : sorted) {
      counts[Math.min(windows - 1, (int) (r.arrivalSeconds() / windowSeconds))]++;
    }
    List<LoadStep> steps = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      steps.add(new LoadStep(counts[w] / windowSeconds, windowSeconds));
    }
    LoadLadder ladder = new LoadLadder(steps);
    List<WorkloadRequest> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      WorkloadRequest r = sorted.get(i);
      out.add(
          new WorkloadRequest(
              i,
              r.arrivalSeconds(),
              ladder.stepAt(r.arrivalSeconds()),
              r.model(),
              r.prompt(),
              r.outputTokens(),
              r.objective(),
              r.priority(),
              r.stream()));
    }
    return new RequestSequence(name, ladder, out);
  }

  private static String string(String where, JsonObject json, String key, boolean required) {
    Object value = json.getValue(key);
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException(where + ": " + key + " is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException(where + ": " + key + " must be a non-empty string");
    }
    return s;
  }

  private static Number number(String where, JsonObject json, String key, boolean required) {
    Object value = json.getValue(key);
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException(where + ": " + key + " is required");
      }
      return null;
    }
    if (!(value instanceof Number n)
        || n.doubleValue() < 0
        || Double.isNaN(n.doubleValue())
        || Double.isInfinite(n.doubleValue())) {
      if (key.equals("priority") && value instanceof Number n && Double.isFinite(n.doubleValue())) {
        return n;
      }
      throw new IllegalArgumentException(where + ": " + key + " must be a number ≥ 0");
    }
    return (Number) value;
  }
}
