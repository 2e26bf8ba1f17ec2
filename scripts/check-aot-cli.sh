#!/usr/bin/env bash
# Publishes the CLI with Native AOT for linux-x64 and checks it: the publish must give no trim or AOT warning, the
# native binary must pass `thaiyyal test examples/` (and, when ../shared/conformance exists, the same conformance
# cases as the JIT build), and its whole-process start-up is timed next to the JIT build's (printed, not judged:
# timings belong in docs/performance.md, not in pass/fail). Needs clang and zlib (./test.sh installs them).
# Usage: scripts/check-aot-cli.sh [OUTPUT_DIR]   (default: artifacts/thaiyyal-aot-linux-x64). Used by ./test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/thaiyyal-aot-linux-x64}"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

dotnet publish src/Thaiyyal.Cli -c Release -r linux-x64 -p:PublishAot=true -p:SkipWebBuild=true -o "$out" --nologo 2>&1 | tee "$log" | tail -n 2
if grep -E 'warning (IL[0-9]{4}|AOT)' "$log"; then
  echo "aot: the publish gave trim or AOT warnings (above)"
  exit 1
fi
aot="$out/thaiyyal"
jit="$root/src/Thaiyyal.Cli/bin/Release/net10.0/thaiyyal"

"$aot" test examples/ | tail -n 1

if [ -d ../shared/conformance/cases ]; then
  aot_summary=$(python3 ../shared/conformance/run.py --quiet --cmd "$aot run" ../shared/conformance/cases | tail -n 1)
  jit_summary=$(python3 ../shared/conformance/run.py --quiet --cmd "$jit run" ../shared/conformance/cases | tail -n 1)
  echo "${aot_summary/conformance:/conformance (AOT cli):}"
  if [ "$aot_summary" != "$jit_summary" ]; then
    echo "aot: the native CLI's conformance differs from the JIT build's ($jit_summary)"
    exit 1
  fi
fi

# Whole-process wall time of `thaiyyal run examples/addition.json`, the two builds alternated, 20 runs each.
python3 - "$aot" "$jit" <<'PY'
import statistics, subprocess, sys, time
builds = {"AOT": sys.argv[1], "JIT": sys.argv[2]}
times = {name: [] for name in builds}
for _ in range(20):
    for name, exe in builds.items():
        started = time.perf_counter()
        done = subprocess.run([exe, "run", "examples/addition.json"], capture_output=True)
        times[name].append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            sys.exit(f"aot: {name} build failed: {done.stderr.decode()}")
for name, ms in times.items():
    print(f"{name} `thaiyyal run examples/addition.json`: median {statistics.median(ms):.1f} ms, min {min(ms):.1f} ms (20 runs)")
PY
