#!/usr/bin/env bash
# What recording the execution history costs the synchronous execute route: two servers of the same build run at
# once, one with the default HISTORY=all and one with -history off, and are loaded in turn with the 3-node addition
# (wrk, 32 connections). Per round and server it prints requests/s and the server's own CPU time per request
# (utime + stime from /proc, which the other processes on a shared machine disturb far less than requests/s),
# then the medians and the cost of recording as a share of the -history off figures, and each round's own cost
# with the median of those (rounds alternate which server goes first). With 4 rounds or more each median comes with
# a 90 % interval (bootstrap): a run of many rounds (COST_ROUNDS=18 COST_PAIRED_ROUNDS=24) says how sure the figure is.
# Usage: scripts/history-cost.sh              (uses the Release build in src/Thaiyyal.Server/bin)
# Then, COST_PAIRED_ROUNDS times, both servers are loaded at the same moment (wrk, 16 connections each) and their CPU
# time per request is compared: the machine's drift and its other tenants disturb both alike, so these rounds spread
# far less than the sequential ones (docs/performance.md); requests/s mean little there (the two share the CPU).
# Env:   COST_ROUNDS=4  COST_DURATION=6s  COST_PAIRED_ROUNDS=6  COST_WARMUP=10s  COST_SERVER=path/to/thaiyyal-server
#        COST_ARGS="extra flags for both"
# Each server is loaded for COST_WARMUP before the rounds: with 3 s, the first round still ran HISTORY=all's writer
# and store while the JIT was compiling them, and came out 28-38 % behind.
# Exit status: 0 when every round was measured; the figures are reported, not judged.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/wrk-mix.sh
server=${COST_SERVER:-$root/src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server}
[ -x "$server" ] || { echo "history-cost: build the server first (dotnet build src/Thaiyyal.Server -c Release -p:SkipWebBuild=true)"; exit 2; }
command -v wrk >/dev/null 2>&1 || { echo "history-cost: wrk is needed (apt-get install wrk)"; exit 2; }
rounds=${COST_ROUNDS:-4}
duration=${COST_DURATION:-6s}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

declare -A port pid
for name in all off; do
  port[$name]=$(free_port)
  flags=""; [ "$name" = off ] && flags="-history off"
  # shellcheck disable=SC2086
  "$server" -addr "127.0.0.1:${port[$name]}" -rate-limit 0 -read-rate-limit 0 -max-runs-per-client 0 -drain-delay 0s \
    -data-dir "$work/data-$name" $flags ${COST_ARGS:-} > "$work/server-$name.log" 2>&1 &
  pid[$name]=$!
  pids+=("$!")
done
for name in all off; do
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:${port[$name]}/health/ready" >/dev/null 2>&1 && continue 2; sleep 0.2; done
  echo "history-cost: the $name server did not start"; cat "$work/server-$name.log"; exit 1
done

addition='{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},{"source":"2","target":"3"}]}'
write_wrk_mix "$work/addition.lua" "$addition"
for name in all off; do
  wrk -t2 -c32 -d"${COST_WARMUP:-10s}" -s "$work/addition.lua" "http://127.0.0.1:${port[$name]}" >/dev/null 2>&1 || true
done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # clock ticks of 1/100 s
declare -A rps_list us_list
printf '%-6s %-5s %12s %14s %s\n' round HISTORY 'requests/s' 'CPU us/req' 'load average'
for round in $(seq 1 "$rounds"); do
  # Odd rounds load HISTORY=all first, even rounds -history off first: a machine that speeds up or slows down over the
  # run favours neither.
  order="all off"; [ $((round % 2)) -eq 0 ] && order="off all"
  for name in $order; do
    c0=$(cpu "${pid[$name]}")
    wrk -t2 -c32 -d"$duration" -s "$work/addition.lua" "http://127.0.0.1:${port[$name]}" > "$work/wrk.txt" 2>&1
    c1=$(cpu "${pid[$name]}")
    n=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    r=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
    if grep -q 'Non-2xx' "$work/wrk.txt"; then echo "history-cost: non-2xx answers"; cat "$work/wrk.txt"; exit 1; fi
    us=$(( (c1 - c0) * 10000 / n ))
    rps_list[$name]+="$r "
    us_list[$name]+="$us "
    printf '%-6s %-5s %12s %14s %s\n' "$round" "$name" "$r" "$us" "$(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
paired_rounds=${COST_PAIRED_ROUNDS:-6}
paired=""
for round in $(seq 1 "$paired_rounds"); do
  c0a=$(cpu "${pid[all]}"); c0o=$(cpu "${pid[off]}")
  wrk -t1 -c16 -d"$duration" -s "$work/addition.lua" "http://127.0.0.1:${port[all]}" > "$work/wrk-all.txt" 2>&1 &
  wrk_all=$!
  wrk -t1 -c16 -d"$duration" -s "$work/addition.lua" "http://127.0.0.1:${port[off]}" > "$work/wrk-off.txt" 2>&1
  wait "$wrk_all"
  c1a=$(cpu "${pid[all]}"); c1o=$(cpu "${pid[off]}")
  na=$(awk '/requests in/ {print $1}' "$work/wrk-all.txt"); no=$(awk '/requests in/ {print $1}' "$work/wrk-off.txt")
  if grep -q 'Non-2xx' "$work/wrk-all.txt" "$work/wrk-off.txt"; then echo "history-cost: non-2xx answers"; cat "$work/wrk-all.txt" "$work/wrk-off.txt"; exit 1; fi
  cost=$(python3 -c 'import sys; a, na, o, no = map(float, sys.argv[1:]); print(f"{100 * (a / na) / (o / no) - 100:.1f}")' "$((c1a - c0a))" "$na" "$((c1o - c0o))" "$no")
  paired+="$cost "
  printf 'paired %-3s all %8s requests, off %8s requests: %s %% more CPU per request with history\n' "$round" "$na" "$no" "$cost"
done
# The writer may still be storing the last round: give it a moment so the count below is complete.
sleep 2
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ra=$(echo "${rps_list[all]}" | median); ro=$(echo "${rps_list[off]}" | median)
ua=$(echo "${us_list[all]}" | median); uo=$(echo "${us_list[off]}" | median)
stored=$(curl -sf "http://127.0.0.1:${port[all]}/metrics" | awk '/^workflow_history_written_total/ {print $2}' || true)
dropped=$(curl -sf "http://127.0.0.1:${port[all]}/metrics" | awk '/^workflow_history_dropped_total/ {print $2}' || true)
echo "median requests/s: all $ra, off $ro; median CPU per request: all ${ua} us, off ${uo} us"
python3 -c 'import sys; ra, ro, ua, uo = map(float, sys.argv[1:]); print(f"recording all costs {100*(1-ra/ro):.1f} % of requests/s and {100*(ua-uo)/uo:.1f} % more CPU per request")' "$ra" "$ro" "$ua" "$uo"
# Each round measures both servers within seconds of each other, so its own ratio is disturbed less by the machine
# drifting between rounds than the ratio of the two medians above. With 4 rounds or more, a 90 % interval of the
# median (bootstrap: the rounds resampled 5,000 times, seeded) says how far the machine's noise leaves it uncertain.
interval='
import random, statistics
def interval(costs):
    if len(costs) < 4: return ""
    rng = random.Random(1)
    medians = sorted(statistics.median(rng.choices(costs, k=len(costs))) for _ in range(5000))
    return f" (90 % interval {medians[250]:.1f} to {medians[4750]:.1f} %)"
'
python3 -c "$interval"'
import statistics, sys
pairs = list(zip(map(float, sys.argv[1].split()), map(float, sys.argv[2].split())))
costs = [100 * (1 - a / o) for a, o in pairs]
print("per round: " + ", ".join(f"{c:.1f} %" for c in costs) + f"; median of the rounds: {statistics.median(costs):.1f} % of requests/s" + interval(costs))' "${rps_list[all]}" "${rps_list[off]}"
if [ -n "$paired" ]; then
  # X % more CPU per request is 100·X/(100+X) % fewer requests/s where the CPU is what limits them.
  python3 -c "$interval"'
import statistics, sys
costs = [float(c) for c in sys.argv[1].split()]
m = statistics.median(costs)
print(f"paired rounds: recording all costs {m:.1f} % more CPU per request (median of {len(costs)}; from {min(costs):.1f} to {max(costs):.1f} %)" + interval(costs)
      + f", that is {100 * m / (100 + m):.1f} % of requests/s where the CPU limits them")' "$paired"
fi
echo "history records written: ${stored:-?}, dropped: ${dropped:-0}"
