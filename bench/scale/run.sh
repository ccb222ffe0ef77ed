#!/usr/bin/env bash
# Scale-out benchmark: messages/s of one Postern node vs. two nodes sharing PostgreSQL and Redis, on this machine,
# and what the shared store pays per message. Not run by CI. Everything listens on 127.0.0.1 only.
#
#   bench/scale/run.sh
#
# Load: Postfix smtp-source (two of them, one per node, in the two-node run); downstream: one smtp-sink.
# Store cost per message from PostgreSQL's own statistics for the benchmark's database (pg_stat_database:
# xact_commit, tup_inserted, tup_updated, blks_hit + blks_read), pg_stat_statements calls when the extension is
# loaded, and WAL bytes (pg_current_wal_lsn: cluster-wide, so other users of the server are counted too); Redis
# scripts (EVAL calls, one round trip each) per message from INFO commandstats (server-wide too).
#
# Tunables (environment): MESSAGES=3000 SESSIONS=20 SIZE=4096 PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   REDIS_URL=redis://127.0.0.1:6379 TIMEOUT=<seconds to wait for the sink> KEEP=1 (keep work dir and database)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MESSAGES=${MESSAGES:-3000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-4096}
TIMEOUT=${TIMEOUT:-$(( 300 + MESSAGES / 10 ))}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
RCPT=user@bench.test
SENDER=sender@example.org
export PGHOST PGPORT PGUSER

. "$ROOT/bench/lib.sh"

SMTP_SINK=$(find_bin smtp-sink) || die "smtp-sink not found (apt-get install postfix)"
SMTP_SOURCE=$(find_bin smtp-source) || die "smtp-source not found (apt-get install postfix)"
command -v psql >/dev/null || die "psql not found (apt-get install postgresql-client)"
command -v redis-cli >/dev/null || die "redis-cli not found (apt-get install redis-tools)"
[ -x "$ROOT/postern" ] || die "$ROOT/postern not found"
pg_isready -q || die "PostgreSQL does not answer on $PGHOST:$PGPORT"
redis_host=$(echo "$REDIS_URL" | sed -E 's#^rediss?://([^@/]*@)?([^:/]+).*#\2#')
redis_port=$(echo "$REDIS_URL" | sed -nE 's#^rediss?://([^@/]*@)?[^:/]+:([0-9]+).*#\2#p')
redis-cli -h "$redis_host" -p "${redis_port:-6379}" ping >/dev/null 2>&1 || die "Redis does not answer at $REDIS_URL"

WORK=$(mktemp -d /tmp/postern-scale.XXXXXX)
chmod 755 "$WORK"
RUN_ID=$(date +%s)$$
DB=postern_scale_$RUN_ID
PREFIX="postern-scale-$RUN_ID:"
STARTED_PIDS=()
DB_CREATED=0

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid_tree "$pid" 30; done
  redis-cli -h "$redis_host" -p "${redis_port:-6379}" --scan --pattern "$PREFIX*" 2>/dev/null \
    | xargs -r redis-cli -h "$redis_host" -p "${redis_port:-6379}" del >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then
    log "kept: work directory $WORK, database $DB"
  else
    rm -rf "$WORK"
    [ "$DB_CREATED" = 1 ] && dropdb --if-exists "$DB" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# ---------------------------------------------------------------- store statistics
createdb "$DB" || die "cannot create database $DB"
DB_CREATED=1
HAVE_PGSS=0
if psql -d "$DB" -tAc "create extension if not exists pg_stat_statements" >/dev/null 2>&1 \
   && psql -d "$DB" -tAc "select count(*) from pg_stat_statements" >/dev/null 2>&1; then
  HAVE_PGSS=1
fi
# "xact_commit tup_inserted tup_updated tup_deleted blocks wal_bytes statements"
pg_snapshot() {
  local stm=0
  [ "$HAVE_PGSS" = 1 ] && stm=$(psql -d "$DB" -tAc "select coalesce(sum(calls),0) from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = '$DB'")
  # pg_stat_database is updated when backends report (at most every PGSTAT_MIN_INTERVAL): force it for ours
  psql -d "$DB" -tAc "select pg_stat_force_next_flush()" >/dev/null 2>&1 || true
  local redis_cmds
  redis_cmds=$(redis-cli -h "$redis_host" -p "${redis_port:-6379}" info commandstats | tr -d '\r' | sed -n 's/^cmdstat_eval:calls=\([0-9]*\),.*/\1/p')
  psql -d "$DB" -tAc "select xact_commit, tup_inserted, tup_updated, tup_deleted, blks_hit + blks_read,
                             pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
                      from pg_stat_database where datname = '$DB'" | tr '|' ' ' | sed "s/\$/ $stm ${redis_cmds:-0}/"
}

# ---------------------------------------------------------------- downstream
SINK_PORT=$(free_port)
SINK_OUT="$WORK/sink.out"
user_opt=()
[ "$(id -u)" -eq 0 ] && user_opt=(-u root)
"$SMTP_SINK" "${user_opt[@]}" -c -m 1000 "127.0.0.1:$SINK_PORT" 1024 >"$SINK_OUT" 2>&1 </dev/null &
STARTED_PIDS+=("$!")
wait_listening "$SINK_PORT" "$!" 10 || die "smtp-sink did not start: $(cat "$SINK_OUT")"
sink_count() {
  local n
  n=$(tail -c 200 "$SINK_OUT" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || true)
  echo "${n:-0}"
}

# ---------------------------------------------------------------- DNS for the load's sender domain
find_java
start_bench_dns spf:example.org dmarc:example.org

# ---------------------------------------------------------------- nodes
NODE_PID=""; NODE_PORT=""
start_node() { # name -> NODE_PID NODE_PORT
  local name=$1 port data conf pid
  port=$(free_port)
  data="$WORK/$name"
  mkdir -p "$data"
  conf="$data/postern.yaml"
  cat >"$conf" <<EOF
node: { hostname: $name.bench.test, name: $name, data-dir: $data }
listeners: { smtp: { address: 127.0.0.1, port: $port }, admin: { address: 127.0.0.1, port: 0 } }
store: { url: "jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER" }
redis: { url: "$REDIS_URL", prefix: "$PREFIX" }
dns: { servers: ["$DNS_ADDRESS"], timeout: 2s }
limits: { connections-per-ip: 10000, connections-per-network: 10000, messages-per-ip-per-minute: 10000000, recipients-per-ip-per-minute: 10000000 }
tenants:
  - id: bench
    domains: [bench.test]
    delivery: "smtp://127.0.0.1:$SINK_PORT"
EOF
  (cd "$ROOT" && exec ./postern serve --config "$conf") >"$data/postern.log" 2>&1 </dev/null &
  pid=$!
  STARTED_PIDS+=("$pid")
  wait_listening "$port" "$pid" 600 || die "node $name did not listen on $port: $(tail -20 "$data/postern.log")"
  NODE_PID=$pid; NODE_PORT=$port
}

# One measured run: one smtp-source per port, MESSAGES and SESSIONS split between them (the same offered load
# whatever the number of nodes); until the sink has them all.
RATE=""; SECS=""; GOT=""; CPU=""; DELTA=""
drive() { # name base port...
  local name=$1 base=$2; shift 2
  local n=$# per=$(( MESSAGES / $# )) sessions=$(( (SESSIONS + $# - 1) / $# )) port t0 t1 m0 m1 s0 s1 pids=() i=0 deadline got
  s0=$(pg_snapshot)
  m0=$(machine_busy_ticks)
  t0=$(now)
  for port in "$@"; do
    i=$((i + 1))
    "$SMTP_SOURCE" -s "$sessions" -l "$SIZE" -m "$per" -t "$RCPT" -f "$SENDER" -M bench-client.test \
      "127.0.0.1:$port" >"$WORK/source-$name-$i.out" 2>&1 </dev/null &
    pids+=("$!")
  done
  for p in "${pids[@]}"; do wait "$p" || log "$name: smtp-source exited $?"; done
  deadline=$(( $(date +%s) + TIMEOUT ))
  while :; do
    got=$(( $(sink_count) - base ))
    [ "$got" -ge $(( per * n )) ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then log "$name: TIMEOUT: sink has $got of $(( per * n ))"; break; fi
    sleep 0.05
  done
  t1=$(now)
  m1=$(machine_busy_ticks)
  sleep 1 # let the last trace updates land before reading the statistics
  s1=$(pg_snapshot)
  GOT=$got
  SECS=$(fsub "$t1" "$t0")
  RATE=$(fdiv "$got" "$SECS" 2)
  CPU=$(awk -v b=$(( m1 - m0 )) -v h="$CLK_TCK" -v s="$SECS" -v n="$(nproc)" 'BEGIN { printf "machine busy %.0f%% of %d CPUs", 100 * b / h / (s * n), n }')
  DELTA=$(paste -d' ' <(echo "$s0" | tr ' ' '\n') <(echo "$s1" | tr ' ' '\n') | awk -v g="$got" '
    { d[NR] = $2 - $1 }
    END { if (g == 0) g = 1
          printf "%.2f transactions, %.2f rows inserted, %.2f rows updated, %.0f blocks touched, %.0f WAL bytes", d[1]/g, d[2]/g, d[3]/g, d[5]/g, d[6]/g
          if (d[7] > 0) printf ", %.2f statements", d[7]/g
          printf ", %.1f Redis scripts (round trips)", d[8]/g
          printf " per message" }')
  log "$name: $got messages in ${SECS}s = $RATE msg/s ($CPU); store: $DELTA"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "database $DB on $PGHOST:$PGPORT, Redis $REDIS_URL prefix $PREFIX, sink 127.0.0.1:$SINK_PORT; load average $(cut -d' ' -f1-3 /proc/loadavg)"
warm_up() { # port: JIT, connection pools; not measured
  local base
  base=$(sink_count)
  "$SMTP_SOURCE" -s 5 -l "$SIZE" -m 300 -t "$RCPT" -f "$SENDER" "127.0.0.1:$1" >/dev/null 2>&1 </dev/null || true
  for _ in $(seq 1 1200); do [ "$(sink_count)" -ge $(( base + 300 )) ] && break; sleep 0.1; done
  sleep 2
}

start_node scale-1
port1=$NODE_PORT
warm_up "$port1"
drive one-node "$(sink_count)" "$port1"
ONE_RATE=$RATE; ONE_SECS=$SECS; ONE_GOT=$GOT; ONE_CPU=$CPU; ONE_DELTA=$DELTA

start_node scale-2
port2=$NODE_PORT
warm_up "$port2"
drive two-nodes "$(sink_count)" "$port1" "$port2"
TWO_RATE=$RATE; TWO_SECS=$SECS; TWO_GOT=$GOT; TWO_CPU=$CPU; TWO_DELTA=$DELTA

echo
echo "== Scale-out: $MESSAGES messages x $SIZE bytes, $SESSIONS sessions in all (split between the nodes), 1 recipient, PostgreSQL + Redis shared, smtp-sink downstream"
echo "   machine: $(nproc) CPUs shared by every node, the load generators, the sink, PostgreSQL and Redis; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %s\n' "one node:" "$ONE_RATE msg/s ($ONE_GOT in ${ONE_SECS}s; $ONE_CPU)"
printf '%-22s %s\n' "two nodes:" "$TWO_RATE msg/s ($TWO_GOT in ${TWO_SECS}s; $TWO_CPU)"
printf '%-22s %s\n' "ratio two/one:" "$(fdiv "$TWO_RATE" "$ONE_RATE" 2)"
printf '%-22s %s\n' "store, one node:" "$ONE_DELTA"
printf '%-22s %s\n' "store, two nodes:" "$TWO_DELTA"
[ "$HAVE_PGSS" = 1 ] || echo "   (pg_stat_statements not loaded: add it to shared_preload_libraries for statements per message)"
