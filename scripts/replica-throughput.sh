#!/usr/bin/env bash
# Asynchronous throughput through the PostgreSQL queue with 1 and with 3 replicas of the built server on this
# machine: a throwaway PostgreSQL cluster on loopback (Debian's postgresql binaries), then for each replica count a
# fresh database, the replicas started on it, RUNS `?mode=async` runs of the three-node addition workflow posted
# round-robin by PARALLEL concurrent curls, timed from the first post until no row is queued or running.
# Prints runs/s, the runs each replica executed, any run that did not succeed, and per run what the database did
# (differences of pg_stat_database and of the WAL position over the burst; the script's own polls count too).
# Usage: scripts/replica-throughput.sh           (needs: dotnet build src/Thaiyyal.Server -c Release; curl, psql)
# Env:   RUNS=500  PARALLEL=8  REPLICA_COUNTS="1 3"  WORKERS=(server default: CPU count)
# Exit status: 0 when every run of every row succeeded exactly once.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-500}
parallel=${PARALLEL:-8}
counts=${REPLICA_COUNTS:-"1 3"}
server="$root/src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server"
[ -x "$server" ] || { echo "replica-throughput: build the server first (dotnet build src/Thaiyyal.Server -c Release)"; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "replica-throughput: install Debian's postgresql package (test.sh does)"; exit 2; }

work=$(mktemp -d)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_pg "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/pg"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work/pg"
as_pg "$bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
pg_port=$(free_port)
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
psql_db() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -Atqc "$2"; }
key=$(head -c 32 /dev/urandom | base64)
payload='{"nodes":[{"id":"a","type":"number","data":{"value":10}},{"id":"b","type":"number","data":{"value":5}},{"id":"sum","type":"operation","data":{"op":"add"}}],"edges":[{"source":"a","target":"sum"},{"source":"b","target":"sum"}]}'
echo "$payload" > "$work/payload.json"
status=0
echo "replica-throughput: $runs runs, $parallel concurrent submitters, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-10s %-12s %s\n' replicas seconds "runs/s" "runs per replica"
for n in $counts; do
  db="throughput_$n"
  psql_db postgres "CREATE DATABASE $db" >/dev/null
  ports=()
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    ports+=("$port")
    DATABASE_URL="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$db" THAIYYAL_ENCRYPTION_KEY="$key" \
      "$server" -addr "127.0.0.1:$port" -instance-id "replica-$i" -rate-limit 0 -read-rate-limit 0 -drain-delay 0s \
      ${WORKERS:+-workers "$WORKERS"} >"$work/replica-$n-$i.log" 2>&1 &
    pids+=($!)
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  # One line per run: the port it is posted to, round-robin.
  for i in $(seq 0 $((runs - 1))); do echo "${ports[$((i % n))]}"; done > "$work/targets"
  before=$(psql_db "$db" "SELECT xact_commit, tup_inserted, tup_updated, pg_current_wal_lsn() FROM pg_stat_database WHERE datname = '$db'")
  start=$(date +%s.%N)
  xargs -P "$parallel" -I{} curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data-binary "@$work/payload.json" "http://127.0.0.1:{}/api/v1/workflow/execute?mode=async" < "$work/targets" || status=1
  while [ "$(psql_db "$db" "SELECT COUNT(*) FROM executions WHERE status IN ('queued','running')")" != "0" ]; do sleep 0.05; done
  end=$(date +%s.%N)
  IFS='|' read -r xact0 ins0 upd0 lsn0 <<< "$before"
  # Statistics reach pg_stat_database when a backend reports them; give the last ones a moment.
  sleep 1.5
  stats=$(psql_db "$db" "SELECT xact_commit - $xact0, tup_inserted - $ins0, tup_updated - $upd0, pg_wal_lsn_diff(pg_current_wal_lsn(), '$lsn0') FROM pg_stat_database WHERE datname = '$db'")
  IFS='|' read -r xacts inserted updated wal <<< "$stats"
  seconds=$(echo "$end - $start" | bc -l)
  done_runs=$(psql_db "$db" "SELECT COUNT(*) FROM executions WHERE status = 'succeeded'")
  per=$(psql_db "$db" "SELECT string_agg(c::text, ' / ' ORDER BY replica) FROM (SELECT replica, COUNT(*) c FROM executions GROUP BY replica) x")
  printf '%-9s %-10.1f %-12.1f %s\n' "$n" "$seconds" "$(echo "$done_runs / $seconds" | bc -l)" "$per"
  printf '          per run: %.1f transactions, %.1f rows inserted, %.1f rows updated, %.1f kB WAL\n' \
    "$(echo "$xacts / $runs" | bc -l)" "$(echo "$inserted / $runs" | bc -l)" "$(echo "$updated / $runs" | bc -l)" "$(echo "$wal / $runs / 1024" | bc -l)"
  [ "$done_runs" = "$runs" ] || { echo "replica-throughput: $done_runs of $runs runs succeeded"; status=1; }
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
done
exit $status
