#!/usr/bin/env bash
# Soak test on loopback: the built server under wrk with 64 connections of mixed workflows (addition, a pipeline,
# an HTTP call to a loopback stub, a failing division, short delays) for SOAK_DURATION (default 10m). Passes when no
# answer is a 5xx and the server's RSS at the end is within SOAK_RSS_TOLERANCE % (default 10) of its RSS after the
# warm-up (first fifth, at least 10 s). test.sh runs the short mode with a 25 % tolerance: 20 s checks the plumbing,
# not flatness (the heap is still growing into its working size).
# Usage: scripts/soak.sh            (10 minutes)      SOAK_DURATION=20s scripts/soak.sh   (the short mode test.sh runs)
# Needs: the Release build of the server (dotnet build Thaiyyal.slnx -c Release), wrk (installed from Debian if missing), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/wrk-mix.sh
duration=${SOAK_DURATION:-10m}
connections=${SOAK_CONNECTIONS:-64}
server="$root/src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server"
[ -x "$server" ] || { echo "soak: build the server first (dotnet build Thaiyyal.slnx -c Release)"; exit 2; }
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
seconds=$(python3 -c 'import re,sys; t=sys.argv[1]; m={"s":1,"m":60,"h":3600}; print(sum(int(n)*m[u] for n,u in re.findall(r"(\d+)([smh])", t)))' "$duration")
[ "$seconds" -gt 0 ] || { echo "soak: SOAK_DURATION must look like 20s, 10m or 1h"; exit 2; }
warmup=$(( seconds / 5 > 10 ? seconds / 5 : 10 ))
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
cleanup() { for p in ${server_pid:-} ${stub_pid:-}; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# The HTTP stub the workflows call: a tiny loopback server answering JSON.
stub_port=$(free_port)
python3 - "$stub_port" > "$work/stub.log" 2>&1 <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b'{"ok":true,"items":[1,2,3]}'
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
stub_pid=$!

port=$(free_port)
# Rate limits and the per-client cap are off: every connection comes from one loopback client on purpose.
"$server" -addr "127.0.0.1:$port" -rate-limit 0 -read-rate-limit 0 -max-runs-per-client 0 -log-level warn -data-dir "$work/data" \
  -http-allow-localhost -http-allowed-ports "$stub_port" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "soak: server did not start"; cat "$work/server.log"; exit 1; }

write_wrk_mix "$work/mix.lua" \
  '{"nodes":[{"id":"1","type":"number","data":{"value":10}},{"id":"2","type":"number","data":{"value":5}},{"id":"3","type":"operation","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},{"source":"2","target":"3"}]}' \
  '{"nodes":[{"id":"a","type":"number","data":{"value":10}},{"id":"b","type":"number","data":{"value":5}},{"id":"sum","type":"operation","data":{"op":"add"}},{"id":"c","type":"number","data":{"value":2}},{"id":"product","type":"operation","data":{"op":"multiply"}},{"id":"show","type":"visualization","data":{"mode":"text"}}],"edges":[{"source":"a","target":"sum"},{"source":"b","target":"sum"},{"source":"sum","target":"product"},{"source":"c","target":"product"},{"source":"product","target":"show"}]}' \
  "{\"nodes\":[{\"id\":\"get\",\"type\":\"http\",\"data\":{\"url\":\"http://127.0.0.1:$stub_port/items\"}}],\"edges\":[]}" \
  '{"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"number","data":{"value":0}},{"id":"div","type":"operation","data":{"op":"divide"}}],"edges":[{"source":"a","target":"div"},{"source":"b","target":"div"}]}' \
  '{"nodes":[{"id":"v","type":"number","data":{"value":7}},{"id":"wait","type":"delay","data":{"duration":"100ms"}}],"edges":[{"source":"v","target":"wait"}]}'

rss() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }
echo "soak: ${duration} at ${connections} connections on 127.0.0.1:$port (warm-up ${warmup}s); idle RSS $(rss) kB"
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s -s "$work/mix.lua" "http://127.0.0.1:$port" > "$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep "$warmup"; warm=$(rss)
wait "$wrk_pid"; final=$(rss)
cat "$work/wrk.txt"
metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
server_errors=$(echo "$metrics" | awk '/^http_server_request_duration_seconds_count\{/ && /http_response_status_code="5/ {s+=$NF} END {print s+0}')
runs=$(echo "$metrics" | awk '/^workflow_executions_total\{/ {s+=$NF} END {print s+0}')
statuses=$(echo "$metrics" | awk '/^http_server_request_duration_seconds_count\{/ && /execute/ {match($0, /http_response_status_code="[0-9]+"/); c=substr($0, RSTART+27, 3); s[c]+=$NF} END {for (k in s) printf "%s=%d ", k, s[k]}')
echo "soak: execute answers by status: $statuses"
growth=$(python3 -c 'import sys; w,f=int(sys.argv[1]),int(sys.argv[2]); print(f"{(f-w)*100/w:.1f}")' "$warm" "$final")
echo "soak: runs=$runs 5xx=$server_errors rss_after_warmup=${warm}kB rss_end=${final}kB growth=${growth}%"
status=0
if [ "$server_errors" -ne 0 ]; then
  echo "soak: FAIL, $server_errors answers were 5xx; the server's records of unhandled errors:"
  grep -iE '"msg":"panic recovered"|unhandled exception|"level":"(FATAL|CRITICAL)"' "$work/server.log" | head -20 || true
  status=1
fi
tolerance=${SOAK_RSS_TOLERANCE:-10}
python3 -c 'import sys; sys.exit(0 if abs(float(sys.argv[1])) <= float(sys.argv[2]) else 1)' "$growth" "$tolerance" || { echo "soak: FAIL, RSS changed by ${growth}% after the warm-up (limit ${tolerance}%)"; status=1; }
[ "$runs" -gt 0 ] || { echo "soak: FAIL, no runs were recorded"; status=1; }
[ $status -eq 0 ] && echo "soak: PASS"
exit $status
