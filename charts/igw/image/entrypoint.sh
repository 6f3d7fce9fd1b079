#!/bin/bash
# igw image entrypoint:
#   controller ARGS... | picker ARGS... | simulator ARGS...
#       one process (the chart runs controller and picker side by side)
#   demo [--port N] [--picker-port N] [--feed-port N]
#       the local demo: 3 simulated model servers (127.0.0.11-13:8000), picker, controller + NGINX on loopback
#       (podman run --network host IMAGE demo)
#   health [PATH]
#       the HEALTHCHECK: the running component's /ready (/health for the simulator; PATH asks another one); for
#       a controller without --health-port, that the NGINX it runs is alive
# Writes only under $IGW_STATE (default /var/lib/igw): the root file system may be read-only.
set -euo pipefail

IGW=/opt/igw
STATE="${IGW_STATE:-/var/lib/igw}"
JAVA="$IGW/jre/bin/java"

log() { printf 'event=%s %s\n' "$1" "${*:2}" >&2; }

# One JVM per component; its temp files (Vert.x file cache, DJL's native tokenizer library) under the state folder.
java_opts() { # component
  local tmp="$STATE/tmp/$1"
  mkdir -p "$tmp"
  echo "-XX:-UsePerfData -Djava.io.tmpdir=$tmp -Dvertx.cacheDirBase=$tmp/vertx-cache" \
    "-DDJL_CACHE_DIR=$tmp/djl -DENGINE_CACHE_DIR=$tmp/djl ${JAVA_OPTS:-}"
}

# What the HEALTHCHECK asks, in $STATE/health, one target a line, all must pass: "http HOST PORT PATH" (answers
# 200) or "pid FILE" (that process is alive).
health_target() { # [--add] http host port path | pid file
  local mode='>'
  [ "$1" = --add ] && { mode='>>'; shift; }
  mkdir -p "$STATE"
  local line
  if [ "$1" = http ]; then
    local host="$2"
    case "$host" in 0.0.0.0|::|'') host=127.0.0.1 ;; esac
    line="http $host $3 $4"
  else
    line="pid $2"
  fi
  if [ "$mode" = '>>' ]; then echo "$line" >>"$STATE/health"; else echo "$line" >"$STATE/health"; fi
}

# Value of --name X or --name=X in the arguments, else the default.
arg_value() { # name default args...
  local name="$1" value="$2"; shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      "$name") value="${2:-}"; shift ;;
      "$name"=*) value="${1#*=}" ;;
    esac
    shift
  done
  printf '%s' "$value"
}

http_ok() { # host port path: 0 when it answers 200 within 2 s
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3 \
    && IFS= read -r line <&3 && case "$line" in "HTTP/1."?" 200"*) exit 0 ;; esac; exit 1' "$1" "$2" "$3"
}

health() { # [PATH]: ask PATH instead of the HTTP targets' own
  [ -f "$STATE/health" ] || { echo "not started" >&2; exit 1; }
  local kind host port path pid
  while read -r kind host port path; do
    if [ "$kind" = pid ]; then # the controller: the NGINX it runs is alive
      pid=$(cat "$host" 2>/dev/null) && kill -0 "$pid" 2>/dev/null || { echo "not running: pid file $host" >&2; exit 1; }
    else
      path="${1:-$path}"
      http_ok "$host" "$port" "$path" || { echo "http://$host:$port$path not ready" >&2; exit 1; }
    fi
  done <"$STATE/health"
}

controller() {
  local prefix health_port
  prefix=$(arg_value --prefix "" "$@")
  health_port=$(arg_value --health-port -1 "$@")
  if [ "$health_port" -gt 0 ] 2>/dev/null; then
    health_target http "$(arg_value --health-address 127.0.0.1 "$@")" "$health_port" /ready
  elif [ -n "$prefix" ]; then
    health_target pid "$prefix/logs/nginx.pid"
  fi
  exec "$JAVA" $(java_opts controller) -jar "$IGW/igw-controller.jar" "$@"
}

picker() {
  health_target http "$(arg_value --host 127.0.0.1 "$@")" "$(arg_value --port 9001 "$@")" /ready
  exec "$JAVA" $(java_opts picker) -jar "$IGW/igw-picker.jar" "$@"
}

simulator() {
  local servers
  servers=$(arg_value --servers "$(arg_value --host 127.0.0.1 "$@")" "$@")
  health_target http "${servers%%,*}" "$(arg_value --port 8000 "$@")" /health
  exec "$JAVA" $(java_opts simulator) -jar "$IGW/igw-simulator.jar" "$@"
}

demo() {
  local port=8080 picker_port=9001 feed_port=9514 health_port=9004 pids=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --port=*) port="${1#*=}"; shift ;;
      --picker-port) picker_port="$2"; shift 2 ;;
      --feed-port) feed_port="$2"; shift 2 ;;
      --health-port) health_port="$2"; shift 2 ;;
      *) echo "unknown option for demo: $1" >&2; exit 2 ;;
    esac
  done
  local dir="$STATE/demo"
  rm -rf "$dir"; mkdir -p "$dir"
  # The three Pods of examples/pool.yaml: servers 0 and 1 have the LoRA adapter, 2 only the base model.
  "$JAVA" $(java_opts simulator) -jar "$IGW/igw-simulator.jar" --servers 127.0.0.11,127.0.0.12,127.0.0.13 \
    --port 8000 --server-loras 0=food-review-1,1=food-review-1 &
  pids+=($!)
  # the picker starts once the servers answer, so its first look at them sees their adapters
  local ip i
  for ip in 127.0.0.11 127.0.0.12 127.0.0.13; do
    for i in $(seq 1 240); do http_ok "$ip" 8000 /health 2>/dev/null && break; sleep 0.25; done
  done
  "$JAVA" $(java_opts picker) -jar "$IGW/igw-picker.jar" --manifests "$IGW/examples" --port "$picker_port" \
    --syslog-port "$feed_port" &
  pids+=($!)
  "$JAVA" $(java_opts controller) -jar "$IGW/igw-controller.jar" local --manifests "$IGW/examples" \
    --prefix "$dir/nginx" --templates "$IGW/nginx-conf" --njs "$IGW/njs" --port "$port" \
    --picker "127.0.0.1:$picker_port" --completion-feed "127.0.0.1:$feed_port" --health-port "$health_port" &
  pids+=($!)
  # ready: the picker has seen every model server (their adapters too), the controller applied a config and
  # NGINX serves
  health_target http 127.0.0.1 "$picker_port" /ready
  health_target --add http 127.0.0.1 "$health_port" /ready
  health_target --add http 127.0.0.1 "$port" /v1/models
  # PID 1 ignores signals it has no handler for: stop the three on TERM/INT, and all when one exits.
  trap 'log demo_stopping signal=TERM; kill -TERM "${pids[@]}" 2>/dev/null; wait; exit 0' TERM INT
  log demo_started port="$port" picker_port="$picker_port"
  local i
  for i in $(seq 1 240); do
    if (health) 2>/dev/null; then log demo_ready url="http://127.0.0.1:$port"; break; fi
    sleep 0.5
  done
  local rc=0
  wait -n "${pids[@]}" || rc=$?
  log demo_component_exited rc="$rc"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait || true
  exit 1
}

component="${1:-}"
shift || true
case "$component" in
  controller|picker|simulator|demo|health) "$component" "$@" ;;
  *) echo "usage: entrypoint.sh controller|picker|simulator|demo|health ARGS..." >&2; exit 2 ;;
esac
