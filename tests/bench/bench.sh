#!/usr/bin/env bash
# ./igw bench <workload> [--quick] [options]   routing lab (virtual time): every policy on the same requests
# ./igw bench live <workload> [--quick]        the same through real NGINX + njs + picker + simulated servers
# ./igw bench overhead [--quick]               gateway overhead: inference path vs direct proxy_pass
# ./igw bench faults [--quick] [--minutes N]  faults under load (picker, EPP, servers killed; reloads; slow clients)
# ./igw bench jmh [JMH options]                picker micro-benchmarks (PickBenchmark; default: -prof gc)
# ./igw bench list                             the built-in workloads
# Results go under results/<timestamp>-<workload>/ (CSV, JSON, PNG, summary.md). See docs/benchmarks.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
JAR=${IGW_BENCH_JAR:-tests/bench/target/igw-bench.jar}
[ -f "$JAR" ] || { echo "bench: $JAR missing; run ./igw build" >&2; exit 1; }
JAVA_OPTS=${IGW_BENCH_JAVA_OPTS:--Xmx4g}
case "${1:-}" in
  ""|-h|--help) exec java $JAVA_OPTS -jar "$JAR" --help ;;
  jmh)
    shift
    # JMH forks its own JVMs with this class path (the jar's manifest names lib/); -prof gc: bytes per pick
    [ $# -gt 0 ] || set -- PickBenchmark -prof gc
    exec java -cp "$JAR" org.openjdk.jmh.Main "$@" ;;
  lab|live|overhead|faults|list) exec java $JAVA_OPTS -jar "$JAR" "$@" ;;
  *) exec java $JAVA_OPTS -jar "$JAR" lab "$@" ;;
esac
