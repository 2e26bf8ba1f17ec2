#!/usr/bin/env bash
# The server's own CPU time per request (utime + stime from /proc/PID/stat over a wrk run, divided by the requests
# wrk completed), for one or more configurations side by side: steadier than requests/s on a shared machine.
# Usage: scripts/cpu-per-request.sh SERVER_BINARY 'label|flags' ['label|flags' ...]
#   e.g. scripts/cpu-per-request.sh artifacts/load/server/thaiyyal-server 'default|' 'warn|-log-level warn'
# Env:   CPU_DURATION=6s  CPU_ROUNDS=2  CPU_CONNS=32   (every server is started once and measured in turn each round)
#        CPU_WORKFLOW=addition|pipeline (the 3-node addition, or load.sh's 6-node 1,000-item pipeline)
# At the end it prints each configuration's medians and the history records it wrote and dropped.
# A label "bare" or "engine" with the bare or engine endpoint's binary as flags measures bench/BareEndpoint or
# bench/EngineEndpoint instead (e.g. 'engine|artifacts/load/engine/EngineEndpoint'); flags that start
# with @PATH run the server binary at PATH (to compare two builds in one run), e.g. 'old|@/tmp/old/thaiyyal-server -history off';
# NAME=value words before the flags set environment variables, e.g. 'untraced|OTEL_TRACES_SAMPLER=always_off -history off'.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/wrk-mix.sh
server=$1; shift
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
addition='{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},{"source":"2","target":"3"}]}'
pipeline='{"nodes":[{"id":"r","type":"range","data":{"start":0,"end":999}},{"id":"f","type":"filter","data":{"condition":"item % 3 != 0"}},{"id":"e1","type":"expression","data":{"expression":"input.filtered"}},{"id":"m","type":"map","data":{"expression":"item * 2 + index"}},{"id":"e2","type":"expression","data":{"expression":"input.results"}},{"id":"s","type":"reduce","data":{"expression":"accumulator + item","initial_value":0}}],"edges":[{"source":"r","target":"f"},{"source":"f","target":"e1"},{"source":"e1","target":"m"},{"source":"m","target":"e2"},{"source":"e2","target":"s"}]}'
case ${CPU_WORKFLOW:-addition} in
  addition) write_wrk_mix "$work/add.lua" "$addition" ;;
  pipeline) write_wrk_mix "$work/add.lua" "$pipeline" ;;
  *) echo "cpu-per-request: CPU_WORKFLOW is addition or pipeline"; exit 2 ;;
esac
labels=(); ports=()
for spec in "$@"; do
  label=${spec%%|*}; flags=${spec#*|}; port=$(free_port)
  if [ "$label" = bare ] || [ "$label" = engine ]; then
    "$flags" --urls "http://127.0.0.1:$port" > "$work/$label.log" 2>&1 &
  else
    binary=$server
    if [ "${flags#@}" != "$flags" ]; then binary=${flags%% *}; binary=${binary#@}; flags=${flags#@"$binary"}; fi
    vars=()
    for word in $flags; do case $word in *=*) vars+=("$word") ;; *) break ;; esac; done
    for word in "${vars[@]}"; do flags=${flags/"$word"/}; done
    # shellcheck disable=SC2086
    env "${vars[@]}" "$binary" -addr "127.0.0.1:$port" -rate-limit 0 -read-rate-limit 0 -max-runs-per-client 0 -drain-delay 0s \
      -data-dir "$work/data-$label" $flags > "$work/$label.log" 2>&1 &
  fi
  pids+=($!); labels+=("$label"); ports+=("$port")
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  wrk -t2 -c32 -d3s -s "$work/add.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 || true
done
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
declare -A rps_of us_of
printf '%-6s %-16s %12s %14s %s\n' round config 'requests/s' 'CPU us/req' 'load average'
for round in $(seq 1 "${CPU_ROUNDS:-2}"); do
  for i in "${!labels[@]}"; do
    c0=$(cpu "${pids[$i]}")
    out=$(wrk -t2 -c"${CPU_CONNS:-32}" -d"${CPU_DURATION:-6s}" -s "$work/add.lua" "http://127.0.0.1:${ports[$i]}")
    c1=$(cpu "${pids[$i]}")
    n=$(awk '/requests in/ {print $1}' <<<"$out"); r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    us=$(( (c1 - c0) * 10000 / n ))
    rps_of[$i]+="$r "; us_of[$i]+="$us "
    printf '%-6s %-16s %12s %14s %s\n' "$round" "${labels[$i]}" "$r" "$us" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
printf '%-16s %16s %16s %10s %10s\n' config 'median req/s' 'median CPU us' written dropped
for i in "${!labels[@]}"; do
  metrics=$(curl -sf "http://127.0.0.1:${ports[$i]}/metrics" 2>/dev/null || true)
  written=$(awk '/^workflow_history_written_total/ {print $2}' <<<"$metrics"); dropped=$(awk '/^workflow_history_dropped_total/ {print $2}' <<<"$metrics")
  printf '%-16s %16s %16s %10s %10s\n' "${labels[$i]}" "$(median "${rps_of[$i]}")" "$(median "${us_of[$i]}")" "${written:-0}" "${dropped:-0}"
done
