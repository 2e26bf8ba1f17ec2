#!/usr/bin/env bash
# Throughput of the execute route next to a bare ASP.NET Core endpoint (bench/BareEndpoint), side by side in one
# run on loopback: the 3-node addition and a 6-node 1,000-item pipeline (range -> filter -> expression -> map ->
# expression -> reduce), each at 1 and 32 connections; prints requests/s, p50 and p99 per row, the load average,
# and a ratio line (server / bare). Between the two it measures the engine alone behind Kestrel
# (bench/EngineEndpoint: the route's own work, no middleware, logs, metrics, tracing or history), and a second
# ratio line (engine / bare) says how much of the gap is that work. Bounded in time: 12 wrk runs of LOAD_DURATION
# each plus start-up.
# Usage: scripts/load.sh                      (publishes the three into artifacts/load, 10 s per row)
#        LOAD_SHORT=1 scripts/load.sh         (2 s per row on the Release build test.sh made: a smoke of the script)
# Env:   LOAD_DURATION=10s  LOAD_WARMUP=2s  LOAD_SERVER_ARGS="extra server flags"
# Exit status: 0 when every row was measured; the ratio is reported, not judged.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/wrk-mix.sh
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
if [ -n "${LOAD_SHORT:-}" ]; then
  duration=${LOAD_DURATION:-2s}
  server="$root/src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server"
  bare="$root/bench/BareEndpoint/bin/Release/net10.0/BareEndpoint"
  engine="$root/bench/EngineEndpoint/bin/Release/net10.0/EngineEndpoint"
  [ -x "$bare" ] || dotnet build bench/BareEndpoint -c Release -warnaserror >/dev/null
  [ -x "$engine" ] || dotnet build bench/EngineEndpoint -c Release -warnaserror >/dev/null
  [ -x "$server" ] || { echo "load: build the server first (dotnet build Thaiyyal.slnx -c Release)"; exit 2; }
else
  duration=${LOAD_DURATION:-10s}
  echo "load: publishing the server, the engine endpoint and the bare endpoint (Release) into artifacts/load"
  dotnet publish src/Thaiyyal.Server -c Release -p:SkipWebBuild=true -o artifacts/load/server >/dev/null
  dotnet publish bench/EngineEndpoint -c Release -o artifacts/load/engine >/dev/null
  dotnet publish bench/BareEndpoint -c Release -o artifacts/load/bare >/dev/null
  server="$root/artifacts/load/server/thaiyyal-server"
  engine="$root/artifacts/load/engine/EngineEndpoint"
  bare="$root/artifacts/load/bare/BareEndpoint"
fi
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
cleanup() { for p in ${server_pid:-} ${engine_pid:-} ${bare_pid:-}; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
wait_ready() { for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "load: nothing answered on port $1"; cat "$work"/*.log; exit 1; }

# The server in its default configuration (INFO logging, metrics, tracing) apart from the per-client limits:
# every wrk connection is the same loopback client. Its log goes to a file, as under a process supervisor.
server_port=$(free_port)
# shellcheck disable=SC2086
"$server" -addr "127.0.0.1:$server_port" -rate-limit 0 -read-rate-limit 0 -max-runs-per-client 0 -drain-delay 0s \
  -data-dir "$work/data" ${LOAD_SERVER_ARGS:-} > "$work/server.log" 2>&1 &
server_pid=$!
bare_port=$(free_port)
"$bare" --urls "http://127.0.0.1:$bare_port" > "$work/bare.log" 2>&1 &
bare_pid=$!
engine_port=$(free_port)
"$engine" --urls "http://127.0.0.1:$engine_port" > "$work/engine.log" 2>&1 &
engine_pid=$!
wait_ready "$server_port"; wait_ready "$engine_port"; wait_ready "$bare_port"

addition='{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},{"source":"2","target":"3"}]}'
pipeline='{"nodes":[{"id":"r","type":"range","data":{"start":0,"end":999}},{"id":"f","type":"filter","data":{"condition":"item % 3 != 0"}},{"id":"e1","type":"expression","data":{"expression":"input.filtered"}},{"id":"m","type":"map","data":{"expression":"item * 2 + index"}},{"id":"e2","type":"expression","data":{"expression":"input.results"}},{"id":"s","type":"reduce","data":{"expression":"accumulator + item","initial_value":0}}],"edges":[{"source":"r","target":"f"},{"source":"f","target":"e1"},{"source":"e1","target":"m"},{"source":"m","target":"e2"},{"source":"e2","target":"s"}]}'
write_wrk_mix "$work/addition.lua" "$addition"
write_wrk_mix "$work/pipeline.lua" "$pipeline"
# Both payloads must run successfully on the server and the engine endpoint, with the same results, before anything
# is timed.
for name in addition pipeline; do
  body=${!name}
  for port in "$server_port" "$engine_port"; do
    curl -sf -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/workflow/execute" \
      | python3 -c 'import json, sys; a = json.load(sys.stdin); assert a["success"]; print(json.dumps(a["results"]["node_results"], sort_keys=True))' \
      > "$work/$name-$port.results" || { echo "load: the $name workflow did not run on port $port"; exit 1; }
  done
  cmp -s "$work/$name-$server_port.results" "$work/$name-$engine_port.results" \
    || { echo "load: the engine endpoint and the server answered the $name workflow differently"; exit 1; }
done

# Warm-up (JIT, pools, connections) of every target before anything is recorded.
for workflow in addition pipeline; do
  for port in "$bare_port" "$engine_port" "$server_port"; do
    wrk -t2 -c32 -d"${LOAD_WARMUP:-2s}" -s "$work/$workflow.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 || true
  done
done

# wrk's "--latency" distribution in milliseconds: "50%  1.23ms" -> 1.23
latency_ms() { awk -v p="$1%" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.3f", v * f }' "$2"; }
declare -A rps
printf '%-9s %-9s %5s %12s %10s %10s %s\n' target workflow conns 'requests/s' 'p50 ms' 'p99 ms' 'load average'
for workflow in addition pipeline; do
  for conns in 1 32; do
    threads=$([ "$conns" -eq 1 ] && echo 1 || echo 2)
    for target in bare engine server; do
      port_of_target="${target}_port"; port=${!port_of_target}
      out="$work/$target-$workflow-$conns.txt"
      wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s --latency -s "$work/$workflow.lua" "http://127.0.0.1:$port" > "$out" 2>&1 \
        || { echo "load: wrk failed"; cat "$out"; exit 1; }
      r=$(awk '/^Requests\/sec:/ {print $2}' "$out")
      [ -n "$r" ] || { echo "load: no requests/s in wrk's output"; cat "$out"; exit 1; }
      if grep -q 'Non-2xx' "$out"; then echo "load: $target answered non-2xx on $workflow"; cat "$out"; exit 1; fi
      rps[$target-$workflow-$conns]=$r
      printf '%-9s %-9s %5s %12s %10s %10s %s\n' "$target" "$workflow" "$conns" "$r" "$(latency_ms 50 "$out")" "$(latency_ms 99 "$out")" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
    done
  done
done
# ratio TARGET WORKFLOW CONNS: TARGET's requests/s as a share of the bare endpoint's
ratio() { python3 -c 'import sys; print(f"{100*float(sys.argv[1])/float(sys.argv[2]):.0f}%")' "${rps[$1-$2-$3]}" "${rps[bare-$2-$3]}"; }
for target in server engine; do
  echo "ratio ($target/bare requests/s): addition c1 $(ratio $target addition 1), addition c32 $(ratio $target addition 32), pipeline c1 $(ratio $target pipeline 1), pipeline c32 $(ratio $target pipeline 32)"
done
