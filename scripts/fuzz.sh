#!/usr/bin/env bash
# Bounded fuzzing of the payload reader, the expression parser and the node options (docs/security.md, "Fuzzing").
# Usage: scripts/fuzz.sh [COUNT] [SECONDS] [SEED]   (defaults: 1000000 inputs, at most 3600 s, seed 1)
# One process, so it shares a small machine politely. Findings are written to fuzz/crashers/ and make it exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000000}"
seconds="${2:-3600}"
seed="${3:-1}"
dotnet build fuzz/Thaiyyal.Fuzz -c Release -warnaserror -p:SkipWebBuild=true -v quiet -nologo
exec timeout "$((seconds + 120))" dotnet fuzz/Thaiyyal.Fuzz/bin/Release/net10.0/Thaiyyal.Fuzz.dll \
  --count "$count" --seconds "$seconds" --seed "$seed" --corpus fuzz/corpus --crashers fuzz/crashers
