#!/usr/bin/env bash
# SMTP throughput benchmark: Postern vs. a private Postfix instance, same load, same sink.
# Not run by CI. See bench/README.md. Everything listens on 127.0.0.1 only.
#
#   bench/smtp-throughput/run.sh            # both, then the ratio
#   SKIP_POSTERN=1 bench/smtp-throughput/run.sh   # Postfix only
#
# Tunables (environment): MESSAGES=20000 SESSIONS=20 SIZE=4096 IDLE_CONNS=5000 IDLE_HOLD=10
#   WARMUP=0 (messages sent through each before the measured run and not counted: steady state, not the JIT's start)
#   SOURCE_EXTRA="-d" (extra smtp-source options, e.g. -d to reuse connections)
#   TIMEOUT=<seconds to wait for the sink to receive everything; default scales with MESSAGES>
#   KEEP=1 (keep the work directory with logs and configs)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/smtp-throughput"
MESSAGES=${MESSAGES:-20000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-4096}
WARMUP=${WARMUP:-0}
IDLE_CONNS=${IDLE_CONNS:-5000}
IDLE_HOLD=${IDLE_HOLD:-10}
SOURCE_EXTRA=${SOURCE_EXTRA:-}
TIMEOUT=${TIMEOUT:-$(( 300 + MESSAGES / 20 ))}
RCPT=user@bench.test
SENDER=sender@example.org

. "$ROOT/bench/lib.sh"

SMTP_SINK=$(find_bin smtp-sink) || die "smtp-sink not found (apt-get install postfix)"
SMTP_SOURCE=$(find_bin smtp-source) || die "smtp-source not found (apt-get install postfix)"
POSTFIX=$(find_bin postfix) || POSTFIX=""

find_java

# More file descriptors for 5,000 idle connections (inherited by Postern and the client).
want_fds=$(( IDLE_CONNS * 2 + 4096 ))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want_fds" ]; then
  ulimit -Hn "$want_fds" 2>/dev/null || want_fds=$hard
fi
ulimit -n "$want_fds" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
log "open files limit: $(ulimit -n)"

WORK=$(mktemp -d /tmp/postern-bench.XXXXXX)
chmod 755 "$WORK"
STARTED_PIDS=()
POSTFIX_CONF=""

cleanup() {
  local pid
  if [ -n "$POSTFIX_CONF" ]; then
    "$POSTFIX" -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true
  fi
  for pid in "${STARTED_PIDS[@]}"; do
    stop_pid_tree "$pid"
  done
  if [ "${KEEP:-0}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the downstream: smtp-sink with running counters (-c), no disk dumps
SINK_PID=""
SINK_PORT=""
SINK_OUT=""
start_sink() { # name
  SINK_PORT=$(free_port)
  SINK_OUT="$WORK/sink-$1.out"
  local user_opt=()
  [ "$(id -u)" -eq 0 ] && user_opt=(-u root)
  "$SMTP_SINK" "${user_opt[@]}" -c -m 1000 "127.0.0.1:$SINK_PORT" 1024 >"$SINK_OUT" 2>&1 </dev/null &
  SINK_PID=$!
  STARTED_PIDS+=("$SINK_PID")
  wait_listening "$SINK_PORT" "$SINK_PID" 10 || die "smtp-sink did not start: $(cat "$SINK_OUT")"
}
sink_count() { # messages received so far (smtp-sink -c prints "sess=.. quit=.. mesg=N\r")
  local n
  n=$(tail -c 200 "$SINK_OUT" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || true)
  echo "${n:-0}"
}
stop_sink() { stop_pid_tree "$SINK_PID"; }

# CPU time of one process in clock ticks (user + system); the machine's is machine_busy_ticks in bench/lib.sh.
proc_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0; }

# --- one measured run: smtp-source -> PORT -> ... -> sink; prints "rate inject_rate seconds got"
# CPU_PID (optional): a process whose CPU time during the run is reported too (the gateway's JVM).
RESULT_RATE=""; RESULT_INJECT=""; RESULT_SECS=""; RESULT_GOT=""; RESULT_CPU=""
drive_load() { # name port
  local name=$1 port=$2 t0 t_inj t1 rc deadline got m0 m1 p0=0 p1=0 base=0
  if [ "$WARMUP" -gt 0 ]; then
    # Not measured: a long-running gateway has compiled its hot paths (and Postfix has its processes up); without
    # this the JIT compiler's first minute is in the JVM's figure.
    log "$name: warm-up: $WARMUP messages (not measured)"
    # shellcheck disable=SC2086
    "$SMTP_SOURCE" -s "$SESSIONS" -l "$SIZE" -m "$WARMUP" -t "$RCPT" -f "$SENDER" -M bench-client.test \
      $SOURCE_EXTRA "127.0.0.1:$port" >"$WORK/warmup-$name.out" 2>&1 </dev/null || log "$name: warm-up smtp-source failed"
    deadline=$(( $(date +%s) + TIMEOUT ))
    while [ "$(sink_count)" -lt "$WARMUP" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.05; done
    base=$(sink_count)
    log "$name: warm-up done ($base delivered)"
  fi
  log "$name: sending $MESSAGES messages of $SIZE bytes over $SESSIONS sessions to 127.0.0.1:$port"
  m0=$(machine_busy_ticks)
  [ -n "${CPU_PID:-}" ] && p0=$(proc_ticks "$CPU_PID")
  t0=$(now)
  set +e
  # shellcheck disable=SC2086
  "$SMTP_SOURCE" -s "$SESSIONS" -l "$SIZE" -m "$MESSAGES" -t "$RCPT" -f "$SENDER" -M bench-client.test \
    $SOURCE_EXTRA "127.0.0.1:$port" >"$WORK/source-$name.out" 2>&1 </dev/null
  rc=$?
  set -e
  t_inj=$(now)
  [ "$rc" -eq 0 ] || log "$name: smtp-source exited $rc: $(tail -3 "$WORK/source-$name.out" | tr '\n' ' ')"
  deadline=$(( $(date +%s) + TIMEOUT ))
  while :; do
    got=$(( $(sink_count) - base ))
    [ "$got" -ge "$MESSAGES" ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "$name: TIMEOUT after ${TIMEOUT}s: sink has $got of $MESSAGES"
      break
    fi
    sleep 0.05
  done
  t1=$(now)
  m1=$(machine_busy_ticks)
  [ -n "${CPU_PID:-}" ] && p1=$(proc_ticks "$CPU_PID")
  RESULT_GOT=$got
  RESULT_SECS=$(fsub "$t1" "$t0")
  RESULT_RATE=$(fdiv "$got" "$RESULT_SECS")
  RESULT_INJECT=$(fdiv "$MESSAGES" "$(fsub "$t_inj" "$t0")")
  # Everything on the machine counts (client, sink, kernel, and anyone else): on a shared machine, a busy
  # total well above what this run explains means the figures are disturbed.
  RESULT_CPU="machine busy $(secs $(( m1 - m0 )))s of $(awk -v s="$RESULT_SECS" -v n="$(nproc)" 'BEGIN { printf "%.1f", s * n }')s CPU"
  [ -n "${CPU_PID:-}" ] && RESULT_CPU="$RESULT_CPU; gateway JVM $(secs $(( p1 - p0 )))s"
  log "$name: sink received $got/$MESSAGES in ${RESULT_SECS}s = $RESULT_RATE msg/s end to end (accepted at $RESULT_INJECT msg/s; $RESULT_CPU)"
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# The JVM of a launcher: the pid itself if it is java, else its java descendant.
jvm_pid() {
  local p
  for p in "$1" $(descendants "$1"); do
    case "$(readlink "/proc/$p/exe" 2>/dev/null)" in
      */java) echo "$p"; return 0 ;;
    esac
  done
  echo "$1"
}

# ================================================================= Postern
POSTERN_RATE=""; POSTERN_RSS_IDLE=""; POSTERN_RSS_CONNS=""; POSTERN_RSS_AFTER=""; IDLE_RESULT=""
POSTERN_GOT=""; POSTERN_SECS=""; POSTERN_INJECT=""; POSTERN_CPU=""; POSTERN_JVM_OPTS=""
run_postern() {
  if [ ! -x "$ROOT/postern" ]; then
    log "Postern: $ROOT/postern not found or not executable: skipping the Postern runs"
    return 0
  fi
  start_sink postern
  start_bench_dns spf:example.org dmarc:example.org
  local port data conf pid jpid
  port=$(free_port)
  data="$WORK/postern-data"
  mkdir -p "$data"
  conf="$WORK/postern.yaml"
  cat >"$conf" <<EOF
node: { hostname: bench.postern.test, data-dir: $data }
listeners: { smtp: { address: 127.0.0.1, port: $port } }
store: { url: "jdbc:h2:file:$data/postern" }
dns: { servers: ["$DNS_ADDRESS"], timeout: 2s }
limits: { connections-per-ip: 10000, connections-per-network: 10000, messages-per-ip-per-minute: 10000000, recipients-per-ip-per-minute: 10000000, max-recipients: 500 }
tenants:
  - id: bench
    domains: [bench.test]
    delivery: "smtp://127.0.0.1:$SINK_PORT"
EOF
  log "Postern: starting on 127.0.0.1:$port (downstream sink 127.0.0.1:$SINK_PORT)"
  (cd "$ROOT" && exec ./postern serve --config "$conf") >"$WORK/postern.log" 2>&1 </dev/null &
  pid=$!
  STARTED_PIDS+=("$pid")
  wait_listening "$port" "$pid" 600 || die "Postern did not listen on $port: $(tail -20 "$WORK/postern.log")"
  sleep 5
  jpid=$(jvm_pid "$pid")
  # The JVM's own options (what the launcher chose, or POSTERN_JAVA_OPTS): the arguments before the class path.
  POSTERN_JVM_OPTS=$(tr '\0' '\n' <"/proc/$jpid/cmdline" 2>/dev/null | sed -n '2,$p' | sed '/^-cp$/,$d' | tr '\n' ' ')
  POSTERN_RSS_IDLE=$(rss_kb "$jpid")
  log "Postern: RSS idle (start + 5 s) = $POSTERN_RSS_IDLE kB (pid $jpid)"

  log "Postern: opening $IDLE_CONNS idle connections, holding ${IDLE_HOLD}s"
  "$JAVA" "$HERE/IdleConnections.java" 127.0.0.1 "$port" "$IDLE_CONNS" "$IDLE_HOLD" >"$WORK/idle.out" 2>&1 &
  local cpid=$! i
  STARTED_PIDS+=("$cpid")
  for i in $(seq 1 1200); do
    grep -q '^HOLDING' "$WORK/idle.out" 2>/dev/null && break
    kill -0 "$cpid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 1
  POSTERN_RSS_CONNS=$(rss_kb "$jpid")
  wait "$cpid" || true
  IDLE_RESULT=$(grep '^RESULT' "$WORK/idle.out" || tail -3 "$WORK/idle.out" | tr '\n' ' ')
  log "Postern: RSS with $IDLE_CONNS idle connections = $POSTERN_RSS_CONNS kB; $IDLE_RESULT"
  sleep 2

  CPU_PID=$jpid drive_load postern "$port"
  POSTERN_RATE=$RESULT_RATE; POSTERN_GOT=$RESULT_GOT; POSTERN_SECS=$RESULT_SECS; POSTERN_INJECT=$RESULT_INJECT
  POSTERN_CPU=$RESULT_CPU
  POSTERN_RSS_AFTER=$(rss_kb "$jpid")
  stop_pid_tree "$pid"
  stop_pid_tree "$DNS_PID"
  stop_sink
}

# ================================================================= Postfix
POSTFIX_RATE=""; POSTFIX_GOT=""; POSTFIX_SECS=""; POSTFIX_INJECT=""; POSTFIX_CPU=""
run_postfix() {
  if [ -z "$POSTFIX" ]; then
    log "Postfix: postfix binary not found: skipping"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "Postfix: needs root (private instance with its own queue): skipping"
    return 0
  fi
  start_sink postfix
  local port pfx
  port=$(free_port)
  pfx="$WORK/postfix"
  mkdir -p "$pfx/etc" "$pfx/spool" "$pfx/data" "$pfx/log"
  chown postfix "$pfx/data"
  cat >"$pfx/etc/main.cf" <<EOF
# Private Postfix relay for the benchmark (generated by bench/smtp-throughput/run.sh)
compatibility_level = 3.6
queue_directory = $pfx/spool
data_directory = $pfx/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.bench.test
mydomain = bench-postfix.test
myorigin = \$myhostname
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 local delivery is disabled
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = bench.test
relayhost = [127.0.0.1]:$SINK_PORT
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_banner = \$myhostname ESMTP
smtpd_tls_security_level = none
smtp_tls_security_level = none
smtp_dns_support_level = disabled
content_filter =
biff = no
append_dot_mydomain = no
maillog_file_prefixes = $pfx/log
maillog_file = $pfx/log/maillog
EOF
  cat >"$pfx/etc/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$port inet n -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  POSTFIX_CONF="$pfx/etc"
  log "Postfix: starting private instance on 127.0.0.1:$port (relayhost 127.0.0.1:$SINK_PORT)"
  # (the postfix command only writes errors to stderr on a terminal; else to syslog/maillog)
  if ! "$POSTFIX" -c "$POSTFIX_CONF" start >"$WORK/postfix-start.out" 2>&1; then
    command -v script >/dev/null 2>&1 \
      && script -qc "$POSTFIX -c $POSTFIX_CONF check" /dev/null >>"$WORK/postfix-start.out" 2>&1
    die "postfix start failed: $(cat "$WORK/postfix-start.out") $(tail -5 "$pfx/log/maillog" 2>/dev/null)"
  fi
  local mpid=""
  for _ in $(seq 1 100); do
    mpid=$(head -1 "$pfx/spool/pid/master.pid" 2>/dev/null | tr -d ' ' || true)
    [ -n "$mpid" ] && is_listening "$port" && break
    sleep 0.1
  done
  is_listening "$port" || die "Postfix does not listen on $port: $(cat "$WORK/postfix-start.out") $(tail "$pfx/log/maillog" 2>/dev/null)"
  sleep 1
  drive_load postfix "$port"
  POSTFIX_RATE=$RESULT_RATE; POSTFIX_GOT=$RESULT_GOT; POSTFIX_SECS=$RESULT_SECS; POSTFIX_INJECT=$RESULT_INJECT
  POSTFIX_CPU=$RESULT_CPU
  "$POSTFIX" -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do
    [ -n "$mpid" ] && kill -0 "$mpid" 2>/dev/null || break
    sleep 0.1
  done
  POSTFIX_CONF=""
  local warn
  warn=$(grep -c -E 'warning|fatal|panic' "$pfx/log/maillog" 2>/dev/null || true)
  if [ "${warn:-0}" -ne 0 ]; then
    log "Postfix: $warn warning/fatal lines in maillog (KEEP=1 to keep it), distinct ones:"
    grep -E 'warning|fatal|panic' "$pfx/log/maillog" | sed -E 's/^.*postfix\/[a-z]+\[[0-9]+\]: //; s/[0-9A-F]{8,}/ID/g' \
      | sort | uniq -c | sort -rn | head -5 >&2 || true
  fi
  stop_sink
}

[ "${SKIP_POSTERN:-0}" = 1 ] || run_postern
[ "${SKIP_POSTFIX:-0}" = 1 ] || run_postfix

# ================================================================= report
mb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }' || echo "n/a"; }
echo
echo "== SMTP throughput: $MESSAGES messages x $SIZE bytes, $SESSIONS parallel sessions, 1 recipient, via smtp-sink"
echo "   load: smtp-source -s $SESSIONS -l $SIZE -m $MESSAGES -t $RCPT -f $SENDER${SOURCE_EXTRA:+ $SOURCE_EXTRA} (CPUs: $(nproc))"
[ "$WARMUP" -gt 0 ] && echo "   after a warm-up of $WARMUP messages through each, not measured"
printf '%-28s %s\n' "Postern msg/s (end to end):" "${POSTERN_RATE:-n/a}${POSTERN_GOT:+  ($POSTERN_GOT delivered in ${POSTERN_SECS}s; accepted at $POSTERN_INJECT msg/s)}"
printf '%-28s %s\n' "Postfix msg/s (end to end):" "${POSTFIX_RATE:-n/a}${POSTFIX_GOT:+  ($POSTFIX_GOT delivered in ${POSTFIX_SECS}s; accepted at $POSTFIX_INJECT msg/s)}"
if [ -n "$POSTERN_RATE" ] && [ -n "$POSTFIX_RATE" ] && [ "$POSTFIX_RATE" != n/a ] && [ "$POSTERN_RATE" != n/a ]; then
  printf '%-28s %s\n' "Ratio Postern/Postfix:" "$(awk -v a="$POSTERN_RATE" -v b="$POSTFIX_RATE" 'BEGIN { printf "%.2f", a / b }')"
else
  printf '%-28s %s\n' "Ratio Postern/Postfix:" "n/a"
fi
printf '%-28s %s\n' "CPU during Postern load:" "${POSTERN_CPU:-n/a}"
printf '%-28s %s\n' "CPU during Postfix load:" "${POSTFIX_CPU:-n/a}"
printf '%-28s %s\n' "Postern RSS idle:" "$(mb "$POSTERN_RSS_IDLE")"
printf '%-28s %s\n' "Postern RSS $IDLE_CONNS idle conns:" "$(mb "$POSTERN_RSS_CONNS")"
printf '%-28s %s\n' "Postern RSS after load:" "$(mb "$POSTERN_RSS_AFTER")"
printf '%-28s %s\n' "Idle connections:" "${IDLE_RESULT:-n/a}"
printf '%-28s %s\n' "Postern JVM options:" "${POSTERN_JVM_OPTS:-n/a}"
