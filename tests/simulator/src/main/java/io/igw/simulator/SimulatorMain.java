package io.igw.simulator;

import io.igw.simulator.kvevents.KvEventEncoding;
import io.igw.simulator.kvevents.KvEventsConfig;
import io.igw.simulator.log.EventLog;
import io.igw.simulator.options.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line: one simulated server, or several in one JVM, each on its own address. */
@Command(
    name = "igw-simulator",
    mixinStandardHelpOptions = true,
    description = "A vLLM-compatible model-server simulator (OpenAI API, vLLM metrics).")
public final class SimulatorMain implements Callable<Integer> {

  @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host = SimulatorOptions.DEFAULT_HOST;

  @Option(
      names = "--port",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 8000;

  @Option(names = "--model", description = "Base model name (default: ${DEFAULT-VALUE}).")
  String model = SimulatorOptions.DEFAULT_MODEL;

  @Option(
      names = "--lora",
      split = ",",
      description = "LoRA adapter served by every server; repeatable or a comma list.")
  List<String> loras = new ArrayList<>();

  @Option(names = "--profile", description = "Engine profile (default: ${DEFAULT-VALUE}).")
  String profile = SimulatorOptions.DEFAULT_PROFILE;

  @Option(
      names = "--time-scale",
      description = "Run N times faster than real time (default: ${DEFAULT-VALUE}).")
  double timeScale = SimulatorOptions.DEFAULT_TIME_SCALE;

  @Option(
      names = "--name",
      description = "Server name in logs and in x-igw-served-by (default: host:port).")
  String name;

  @Option(
      names = "--servers",
      split = ",",
      description = "Host several servers in this JVM, one per address, all on --port.")
  List<String> servers = new ArrayList<>();

  @Option(
      names = {"--server-loras", "--server-lora"},
      split = ",",
      description =
          "Per-server adapters as INDEX=NAME or ADDRESS=NAME; repeatable or a comma list.")
  List<String> serverLoras = new ArrayList<>();

  @Option(
      names = "--max-num-seqs",
      description =
          "Most requests running at once; 0 takes the profile's (default: ${DEFAULT-VALUE}).")
  int maxNumSeqs = SimulatorOptions.DEFAULT_MAX_NUM_SEQS;

  @Option(
      names = "--max-num-batched-tokens",
      description = "Token budget of one engine step (default: ${DEFAULT-VALUE}).")
  int maxNumBatchedTokens = SimulatorOptions.DEFAULT_MAX_NUM_BATCHED_TOKENS;

  @Option(
      names = "--max-loras",
      description = "Adapters resident at once (default: ${DEFAULT-VALUE}).")
  int maxLoras = SimulatorOptions.DEFAULT_MAX_LORAS;

  @Option(
      names = "--block-size",
      description = "Tokens per KV-cache block (default: ${DEFAULT-VALUE}).")
  int blockSize = SimulatorOptions.DEFAULT_BLOCK_SIZE;

  @Option(
      names = "--num-gpu-blocks",
      description = "KV-cache blocks; 0 takes the profile's (default: ${DEFAULT-VALUE}).")
  int numGpuBlocks = SimulatorOptions.DEFAULT_NUM_GPU_BLOCKS;

  @Option(
      names = "--default-max-tokens",
      description = "Output length without max_tokens (default: ${DEFAULT-VALUE}).")
  int defaultMaxTokens = SimulatorOptions.DEFAULT_MAX_TOKENS;

  @Option(
      names = "--seed",
      description = "Seed of generated text and sampled behaviour (default: ${DEFAULT-VALUE}).")
  long seed = SimulatorOptions.DEFAULT_SEED;

  @Option(
      names = "--metrics-flavor",
      description = "Metric names: vllm, sglang or trtllm (default: ${DEFAULT-VALUE}).")
  String metricsFlavor = SimulatorOptions.DEFAULT_METRICS_FLAVOR;

  @Option(
      names = "--natural-output-tokens",
      description =
          "Mean natural output length; 0 always generates max_tokens (default: ${DEFAULT-VALUE}).")
  int naturalOutputTokens = SimulatorOptions.DEFAULT_NATURAL_OUTPUT_TOKENS;

  @Option(
      names = "--faults",
      description = "Fault injection as JSON, e.g. '{\"errorRate\":0.1,\"errorStatus\":503}'.")
  String faults;

  @Option(
      names = "--no-prefix-caching",
      negatable = false,
      description = "Disable the prefix cache.")
  boolean noPrefixCaching;

  @Option(
      names = "--tokenizer",
      description = "The model's tokenizer.json (default: the profile's bundled encoding).")
  String tokenizer;

  @Option(
      names = "--enable-prompt-tokens-details",
      negatable = false,
      description =
          "Report usage.prompt_tokens_details.cached_tokens, as vLLM does with this flag.")
  boolean enablePromptTokensDetails;

  @Option(
      names = "--kv-events-config",
      description =
          "vLLM's KV-cache events config as JSON, e.g. '{\"enable_kv_cache_events\":true,"
              + "\"publisher\":\"zmq\",\"endpoint\":\"tcp://*:5557\",\"replay_endpoint\":\"tcp://*:5558\"}'.")
  String kvEventsConfig;

  @Option(
      names = "--server-kv-events-topic",
      split = ",",
      description =
          "Per-server KV-event topic as INDEX=TOPIC or ADDRESS=TOPIC (e.g. 0=kv@127.0.0.11@m), "
              + "replacing --kv-events-config's topic; repeatable or a comma list.")
  List<String> serverKvEventsTopics = new ArrayList<>();

  @Option(
      names = "--kv-events-encoding",
      description =
          "Events inside a batch as msgpack maps (vLLM since PR 42892) or arrays (up to v0.23) "
              + "(default: ${DEFAULT-VALUE}).")
  String kvEventsEncoding = SimulatorOptions.DEFAULT_KV_EVENTS_ENCODING;

  public static void main(String[] args) {
    int exitCode = new CommandLine(new SimulatorMain()).execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Override
  public Integer call() {
    EventLog.installForLibraries();
    List<SimulatorOptions> all = serverOptions();
    Vertx vertx = Vertx.vertx();
    List<Future<SimulatorServer>> starts =
        all.stream().map(o -> SimulatorServer.start(vertx, o)).toList();
    try {
      Future.all(starts).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      EventLog.warn("simulator_start_failed", "error", String.valueOf(cause.getMessage()));
      vertx.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx), "simulator-shutdown"));
    return 0;
  }

  /** The options of each server the parsed command line describes, in {@code --servers} order. */
  public List<SimulatorOptions> serverOptions() {
    List<String> hosts = servers.isEmpty() ? List.of(host) : servers;
    List<SimulatorOptions> all = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      String serverHost = hosts.get(i).trim();
      SimulatorOptions options =
          new SimulatorOptions()
              .setHost(serverHost)
              .setPort(port)
              .setModel(model)
              .setLoras(lorasOf(i, serverHost))
              .setProfile(profile)
              .setTimeScale(timeScale)
              .setMaxNumSeqs(maxNumSeqs)
              .setMaxNumBatchedTokens(maxNumBatchedTokens)
              .setMaxLoras(maxLoras)
              .setBlockSize(blockSize)
              .setNumGpuBlocks(numGpuBlocks)
              .setDefaultMaxTokens(defaultMaxTokens)
              .setSeed(seed + i)
              .setMetricsFlavor(metricsFlavor)
              .setPrefixCaching(!noPrefixCaching)
              .setNaturalOutputTokens(naturalOutputTokens)
              .setTokenizer(tokenizer)
              .setEnablePromptTokensDetails(enablePromptTokensDetails);
      if (faults != null) {
        options.setFaults(parseFaults());
      }
      if (kvEventsConfig != null) {
        JsonObject events = parseKvEventsConfig();
        String topic = kvEventsTopicOf(i, serverHost);
        options.setKvEventsConfig(topic == null ? events : events.put("topic", topic));
      } else if (!serverKvEventsTopics.isEmpty()) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--server-kv-events-topic needs --kv-events-config");
      }
      options.setKvEventsEncoding(kvEventsEncoding());
      if (name != null) {
        options.setName(hosts.size() == 1 ? name : name + "-" + i);
      }
      all.add(options);
    }
    return all;
  }

  private JsonObject parseFaults() {
    try {
      return new JsonObject(faults);
    } catch (DecodeException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--faults is not a JSON object: " + faults);
    }
  }

  private String kvEventsEncoding() {
    try {
      return KvEventEncoding.named(kvEventsEncoding).cliName();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--kv-events-encoding: " + e.getMessage());
    }
  }

  private JsonObject parseKvEventsConfig() {
    try {
      KvEventsConfig.parse(kvEventsConfig);
      return new JsonObject(kvEventsConfig);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
  }

  private List<String> lorasOf(int index, String serverHost) {
    List<String> result = new ArrayList<>(loras);
    result.addAll(perServer("--server-loras", "NAME", serverLoras, index, serverHost));
    return result;
  }

  /** The server's own topic from {@code --server-kv-events-topic}, or null: the config's. */
  private String kvEventsTopicOf(int index, String serverHost) {
    List<String> topics =
        perServer("--server-kv-events-topic", "TOPIC", serverKvEventsTopics, index, serverHost);
    if (topics.size() > 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--server-kv-events-topic names server " + serverHost + " more than once");
    }
    return topics.isEmpty() ? null : topics.get(0);
  }

  /** The values of {@code INDEX=VALUE} / {@code ADDRESS=VALUE} entries that name this server. */
  private List<String> perServer(
      String flag, String what, List<String> entries, int index, String serverHost) {
    List<String> result = new ArrayList<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            flag + " expects INDEX=" + what + " or ADDRESS=" + what + ", got '" + entry + "'");
      }
      String key = entry.substring(0, eq).trim();
      if (key.equals(Integer.toString(index)) || key.equals(serverHost)) {
        result.add(entry.substring(eq + 1).trim());
      }
    }
    return result;
  }

  private static void stop(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      EventLog.info("simulator_stopped");
    } catch (Exception e) {
      EventLog.warn("simulator_stop_timed_out", "error", String.valueOf(e.getMessage()));
    }
  }
}
