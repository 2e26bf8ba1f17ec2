#!/usr/bin/env bash
# Checks that the CLI's .NET tool package installs and works: packs src/Thaiyyal.Cli into a throwaway folder,
# installs it with `dotnet tool install --tool-path` from that folder only, and runs `thaiyyal test examples/`
# with the installed command. Exit 0 when the installed tool passes the examples. Used by ./test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
dotnet pack src/Thaiyyal.Cli -c Release -p:SkipWebBuild=true -p:PackageOutputPath="$work/packages" -o "$work/packages" --nologo -v quiet
ls "$work/packages"/thaiyyal.*.nupkg >/dev/null
dotnet tool install --tool-path "$work/tools" thaiyyal --add-source "$work/packages" --ignore-failed-sources
"$work/tools/thaiyyal" --version
"$work/tools/thaiyyal" test examples/
