#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need, builds,
# runs the .NET tests, the editor's tests and the conformance cases through the CLI and the server.
# Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== tools the tests need"
# Real services the tests use, from Debian's packages: Prometheus scrapes the server in the monitoring
# test, Chromium drives the editor in the end-to-end tests, PostgreSQL's server binaries run the throwaway
# clusters of the storage tests (the tests start and stop them; the package's own service is not used); clang and
# zlib's headers let the CLI be published with Native AOT.
missing=()
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || [ -x /usr/bin/promtool ] || missing+=(prometheus)
[ -x /usr/bin/prometheus-alertmanager ] || command -v alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# Native AOT links the CLI with clang against zlib.
command -v clang >/dev/null 2>&1 || missing+=(clang)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing ${missing[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== restore and build"
dotnet restore Thaiyyal.slnx
dotnet build Thaiyyal.slnx --no-restore -c Release -warnaserror

echo "== .NET tests"
dotnet_status=0
dotnet test Thaiyyal.slnx --no-build -c Release --logger "trx" --results-directory "$results" 2>&1 | tee "$results/dotnet-test.log" || dotnet_status=$?

echo "== workflow tests of the examples (thaiyyal test examples/)"
workflow_status=0
"$root/src/Thaiyyal.Cli/bin/Release/net10.0/thaiyyal" test examples/ --junit "$results/workflow-tests.xml" 2>&1 | tee "$results/workflow-test.log" || workflow_status=$?

echo "== the CLI's .NET tool package installs and passes the examples"
cli_install_status=0
"$root/scripts/check-cli-install.sh" > "$results/cli-install.log" 2>&1 || cli_install_status=$?
tail -1 "$results/cli-install.log"

echo "== the Native AOT CLI: publish without warnings, examples, conformance; start-up printed, not judged"
aot_status=0
"$root/scripts/check-aot-cli.sh" 2>&1 | tee "$results/aot-cli.log" || aot_status=$?

echo "== alert rule unit tests (promtool)"
alerts_status=0
promtool test rules "$root/deployments/prometheus/alerts.test.yml" 2>&1 | tee "$results/promtool.log" || alerts_status=$?

echo "== short soak (20 s, loopback)"
soak_status=0
SOAK_DURATION=20s SOAK_RSS_TOLERANCE=25 "$root/scripts/soak.sh" 2>&1 | tee "$results/soak.log" || soak_status=$?

echo "== load script smoke (scripts/load.sh, 2 s per row; the ratio is printed, not judged)"
load_status=0
LOAD_SHORT=1 LOAD_WARMUP=1s "$root/scripts/load.sh" 2>&1 | tee "$results/load.log" || load_status=$?

echo "== history cost smoke (scripts/history-cost.sh, one 2 s round each; the cost is printed, not judged)"
history_cost_status=0
COST_ROUNDS=1 COST_PAIRED_ROUNDS=1 COST_DURATION=2s COST_WARMUP=3s "$root/scripts/history-cost.sh" 2>&1 | tee "$results/history-cost.log" || history_cost_status=$?

echo "== editor unit tests"
web_status=0
(cd web && npm ci --no-audit --no-fund && NO_COLOR=1 FORCE_COLOR=0 npx vitest run) 2>&1 | tee "$results/web-test.log" || web_status=$?

echo "== conformance cases through the CLI and through the server"
cli="$root/src/Thaiyyal.Cli/bin/Release/net10.0/thaiyyal run"
conformance_mismatch=0
if [ -d ../shared/conformance/cases ]; then
  cli_summary=$(python3 ../shared/conformance/run.py --quiet --cmd "$cli" ../shared/conformance/cases | tail -n 1)
  echo "${cli_summary/conformance:/conformance (cli):}"

  # The built server on a free loopback port (no rate limit: the runner posts every case back to back).
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  "$root/src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server" -addr "127.0.0.1:$port" -rate-limit 0 -drain-delay 0s \
    -data-dir "$(mktemp -d)" > "$results/conformance-server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$port/health/ready" 2>/dev/null && break
    sleep 0.2
  done
  server_summary=$(python3 ../shared/conformance/run.py --quiet --url "http://127.0.0.1:$port" ../shared/conformance/cases | tail -n 1)
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  echo "${server_summary/conformance:/conformance (server):}"
  if [ "${cli_summary#conformance: }" != "${server_summary#conformance: }" ]; then
    echo "conformance through the server differs from the engine in-process (CLI): see $results/conformance-server.out"
    conformance_mismatch=1
  fi
fi

echo "== editor end-to-end tests (Chromium against the built server)"
e2e_status=0
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$root/src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server" -addr "127.0.0.1:$port" -rate-limit 0 -drain-delay 0s \
  -data-dir "$(mktemp -d)" > "$results/e2e-server.out" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$port/health/ready" 2>/dev/null && break
  sleep 0.2
done
mkdir -p web/test-results
(cd web && THAIYYAL_URL="http://127.0.0.1:$port" THAIYYAL_SERVER="$root/src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server" THAIYYAL_CLI="$root/src/Thaiyyal.Cli/bin/Release/net10.0/thaiyyal" CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" timeout 900 npm run test:e2e) 2>&1 \
  | tee "$results/e2e-test.log" || e2e_status=$?
kill -TERM "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
cp -r web/test-results "$results/e2e-screenshots" 2>/dev/null || true

# Sum the passed/failed counts of every test run above into the closing line.
passed=0; failed=0
while read -r f p; do failed=$((failed + f)); passed=$((passed + p)); done < <(
  grep -hoE 'Failed: +[0-9]+, Passed: +[0-9]+' "$results"/*.log | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+)/\1 \2/')
# Vitest: "Tests  103 passed (103)" or "Tests  2 failed | 101 passed (103)".
vitest_line=$(grep -hE '^ +Tests +' "$results/web-test.log" | tail -1 || true)
vp=$(echo "$vitest_line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
vf=$(echo "$vitest_line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
passed=$((passed + ${vp:-0})); failed=$((failed + ${vf:-0}))
# thaiyyal test: "8 passed, 0 failed (1.2s)"; exit 2 (an invalid test file) counts as a failure.
wt_line=$(grep -hoE '^[0-9]+ passed, [0-9]+ failed' "$results/workflow-test.log" | tail -1 || true)
wtp=$(echo "$wt_line" | grep -oE '^[0-9]+' || echo 0)
wtf=$(echo "$wt_line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
passed=$((passed + ${wtp:-0})); failed=$((failed + ${wtf:-0}))
if [ "$workflow_status" -ne 0 ] && [ "${wtf:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
if [ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$web_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# node --test (TAP): "# pass 6" / "# fail 0".
ep=$(grep -hoE '^# pass [0-9]+' "$results/e2e-test.log" | grep -oE '[0-9]+' | tail -1 || echo 0)
ef=$(grep -hoE '^# fail [0-9]+' "$results/e2e-test.log" | grep -oE '[0-9]+' | tail -1 || echo 0)
passed=$((passed + ${ep:-0})); failed=$((failed + ${ef:-0}))
if [ "$e2e_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
failed=$((failed + conformance_mismatch))
# promtool's rule tests, the short soak, the load and history cost scripts' smokes, the tool install check and the AOT CLI check count
# as one test each.
if [ "$alerts_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$soak_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$load_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$history_cost_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$cli_install_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
if [ "$aot_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
