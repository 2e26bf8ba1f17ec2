#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need, builds,
# runs the .NET tests, the editor's tests and the conformance cases through the CLI.
# Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== restore and build"
dotnet restore Thaiyyal.slnx
dotnet build Thaiyyal.slnx --no-restore -c Release -warnaserror

echo "== .NET tests"
dotnet_status=0
dotnet test Thaiyyal.slnx --no-build -c Release --logger "trx" --results-directory "$results" 2>&1 | tee "$results/dotnet-test.log" || dotnet_status=$?

echo "== editor unit tests"
web_status=0
(cd web && npm ci --no-audit --no-fund && NO_COLOR=1 FORCE_COLOR=0 npx vitest run) 2>&1 | tee "$results/web-test.log" || web_status=$?

echo "== conformance cases through the CLI"
cli="$root/src/Thaiyyal.Cli/bin/Release/net10.0/thaiyyal run"
if [ -d ../shared/conformance/cases ]; then
  python3 ../shared/conformance/run.py --quiet --cmd "$cli" ../shared/conformance/cases | sed 's/^conformance:/conformance (cli):/'
fi

# Sum the passed/failed counts of every test run above into the closing line.
passed=0; failed=0
while read -r f p; do failed=$((failed + f)); passed=$((passed + p)); done < <(
  grep -hoE 'Failed: +[0-9]+, Passed: +[0-9]+' "$results"/*.log | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+)/\1 \2/')
# Vitest: "Tests  103 passed (103)" or "Tests  2 failed | 101 passed (103)".
vitest_line=$(grep -hE '^ +Tests +' "$results/web-test.log" | tail -1 || true)
vp=$(echo "$vitest_line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
vf=$(echo "$vitest_line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
passed=$((passed + ${vp:-0})); failed=$((failed + ${vf:-0}))
if [ "$dotnet_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$web_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
