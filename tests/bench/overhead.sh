#!/usr/bin/env bash
# Gateway overhead: the igw inference path (njs → pick subrequest → picker → internal redirect → proxy_pass)
# against a direct proxy_pass to the same simulated server, both through NGINX with one worker, with wrk.
#   tests/bench/overhead.sh [duration_s] [connections]
# Results: results/overhead-<timestamp>.txt
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DURATION=${1:-15}
CONNS=${2:-16}
SIM_IP=127.0.0.31
SIM_PORT=18031
IGW_PORT=18181
DIRECT_PORT=18182
PICKER_PORT=18191
WORK=$(mktemp -d /tmp/igw-overhead.XXXX)
OUT="$ROOT/results/overhead-$(date +%Y%m%d-%H%M%S).txt"
mkdir -p "$ROOT/results"
PIDS=()
cleanup() { kill -TERM "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

./igw deps
command -v wrk >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq wrk >/dev/null; } \
  || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
[ -f picker/target/igw-picker.jar ] || ./igw build

mkdir -p "$WORK/manifests"
sed -e "s/127.0.0.11/$SIM_IP/" -e "s/number: 8000/number: $SIM_PORT/" examples/pool.yaml \
  | awk 'BEGIN{RS="---\n"; ORS="---\n"} NR<=2' > "$WORK/manifests/pool.yaml"
cp examples/gateway.yaml "$WORK/manifests/"

# time scale 1000: the simulated server answers in well under a millisecond, so NGINX and the picker dominate
java -jar tests/simulator/target/igw-simulator.jar --host $SIM_IP --port $SIM_PORT --time-scale 1000 \
  >"$WORK/simulator.log" 2>&1 & PIDS+=($!)
java -jar picker/target/igw-picker.jar --manifests "$WORK/manifests" --port $PICKER_PORT \
  >"$WORK/picker.log" 2>&1 & PIDS+=($!)
java -jar controller/target/igw-controller.jar render --manifests "$WORK/manifests" --prefix "$WORK/igw" \
  --port $IGW_PORT --picker 127.0.0.1:$PICKER_PORT --connections-per-client 0 >"$WORK/controller.log" 2>&1
nginx -p "$WORK/igw/" -c "$WORK/igw/conf/nginx.conf" -g 'daemon off;' >"$WORK/nginx-igw.log" 2>&1 & PIDS+=($!)

mkdir -p "$WORK/direct/logs" "$WORK/direct/conf"
cat > "$WORK/direct/conf/nginx.conf" <<CONF
$( [ "$(id -u)" -eq 0 ] && echo "user root;" )
worker_processes 1;
pid $WORK/direct/logs/nginx.pid;
error_log $WORK/direct/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/direct/tmp_body;
  proxy_temp_path $WORK/direct/tmp_proxy;
  fastcgi_temp_path $WORK/direct/tmp_fastcgi;
  uwsgi_temp_path $WORK/direct/tmp_uwsgi;
  scgi_temp_path $WORK/direct/tmp_scgi;
  upstream sim { server $SIM_IP:$SIM_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$DIRECT_PORT;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
CONF
nginx -p "$WORK/direct/" -c "$WORK/direct/conf/nginx.conf" -g 'daemon off;' >"$WORK/nginx-direct.log" 2>&1 & PIDS+=($!)

wait_ok() { # url
  local i
  for i in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "not ready: $1 (logs in $WORK)" >&2; exit 1
}
wait_ok "http://$SIM_IP:$SIM_PORT/health"
wait_ok "http://127.0.0.1:$PICKER_PORT/ready"
wait_ok "http://127.0.0.1:$IGW_PORT/v1/models"
wait_ok "http://127.0.0.1:$DIRECT_PORT/v1/models"

run() { # name port
  wrk -t1 -c"$CONNS" -d5s -s tests/bench/post.lua "http://127.0.0.1:$2/v1/completions" >/dev/null # warm-up (JIT)
  wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s tests/bench/post.lua "http://127.0.0.1:$2/v1/completions" \
    > "$WORK/wrk-$1.txt"
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk-$1.txt")
  errs=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk-$1.txt")
  printf '%-10s req/s=%-10s p50=%-9s p99=%-9s non2xx=%s\n' "$1" "$rps" "$p50" "$p99" "${errs:-0}"
}

{
  echo "igw overhead, $(date -u +%FT%TZ), wrk -t1 -c$CONNS -d${DURATION}s, 1 NGINX worker, $(nproc) cores"
  echo "backend: one simulated vLLM server at time scale 1000 (max_tokens=1)"
  run direct $DIRECT_PORT
  run igw $IGW_PORT
} | tee "$OUT"
echo "results: $OUT"
