#!/usr/bin/env bash
# RSS of the Release server idle, under load and after it (docs/operations.md, "Memory (measured)").
# Usage: scripts/measure-rss.sh LABEL [VAR=value ...]   e.g. scripts/measure-rss.sh workstation DOTNET_gcServer=0
# Loopback only; needs wrk (apt-get install wrk) and the Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/wrk-mix.sh
label=${1:-default}; shift || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
work=$(mktemp -d)
write_wrk_mix "$work/mix.lua" \
  '{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},{"source":"2","target":"3"}]}' \
  '{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":0}},{"id":"div","type":"operation","data":{"op":"divide"}}],"edges":[{"source":"a","target":"div"},{"source":"b","target":"div"}]}' \
  '{"nodes":[{"id":"v","type":"number","data":{"value":7}},{"id":"wait","type":"delay","data":{"duration":"50ms"}}],"edges":[{"source":"v","target":"wait"}]}'
env "$@" src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server -addr "127.0.0.1:$port" -rate-limit 0 -max-runs-per-client 0 -log-level warn -data-dir "$work/data" > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
idle=$(rss)
wrk -t2 -c64 -d20s -s "$work/mix.lua" "http://127.0.0.1:$port" > "$work/wrk.txt" 2>&1 &
w=$!; sleep 15; load=$(rss); wait $w
sleep 15; after=$(rss)
echo "$label idle=${idle}kB load=${load}kB after=${after}kB $(grep Requests/sec "$work/wrk.txt")"
