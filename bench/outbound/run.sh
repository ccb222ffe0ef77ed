#!/usr/bin/env bash
# Outbound throughput with DKIM signing: Postern vs. a private Postfix + OpenDKIM, same load, same sink.
# Not run by CI. See bench/README.md ("outbound"). Everything listens on 127.0.0.1 only.
#
#   bench/outbound/run.sh                 # both, then the ratio
#   SKIP_POSTERN=1 bench/outbound/run.sh  # Postfix + OpenDKIM only
#
# Load: smtp-source relays MESSAGES messages from sender@bench.test (From: bench.test) to user@dest.test over
# SESSIONS sessions; the relay signs with bench.test's key and delivers to smtp-sink. Postern takes the mail on its
# MX listener from the tenant's on-premises connector (127.0.0.1), looks up dest.test's MX in its DNS (an
# in-process DNS server, bench/BenchDns.java) and delivers to outbound.mx-port (the sink); Postfix relays
# to the sink as relayhost (it has no way to ask a DNS server on another port) with OpenDKIM as its milter.
#
# Tunables (environment): MESSAGES=5000 SESSIONS=20 SIZE=4096 ALGORITHMS=rsa (rsa | both: Postern dual-signs
#   RSA + Ed25519; OpenDKIM stays RSA) TIMEOUT=<seconds to wait for the sink> KEEP=1 (keep the work directory)
#   POSTERN_SIGN=0 (Postern without its dkim: entry, to see what signing costs)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/outbound"
MESSAGES=${MESSAGES:-5000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-4096}
ALGORITHMS=${ALGORITHMS:-rsa}
TIMEOUT=${TIMEOUT:-$(( 300 + MESSAGES / 20 ))}
RCPT=user@dest.test
SENDER=sender@bench.test

. "$ROOT/bench/lib.sh"

SMTP_SINK=$(find_bin smtp-sink) || die "smtp-sink not found (apt-get install postfix)"
SMTP_SOURCE=$(find_bin smtp-source) || die "smtp-source not found (apt-get install postfix)"
POSTFIX=$(find_bin postfix) || POSTFIX=""
OPENDKIM=$(find_bin opendkim) || OPENDKIM=""
case "$ALGORITHMS" in rsa|both) ;; *) die "ALGORITHMS must be rsa or both" ;; esac

find_java

WORK=$(mktemp -d /tmp/postern-outbound-bench.XXXXXX)
chmod 755 "$WORK"
STARTED_PIDS=()
POSTFIX_CONF=""

cleanup() {
  local pid
  [ -n "$POSTFIX_CONF" ] && { "$POSTFIX" -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true; }
  for pid in "${STARTED_PIDS[@]}"; do stop_pid_tree "$pid"; done
  if [ "${KEEP:-0}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# --- the downstream: smtp-sink with counters (-c) and one dump file per message (-d), the same for both
SINK_PID=""; SINK_PORT=""; SINK_OUT=""; SINK_DUMPS=""
start_sink() { # name
  SINK_PORT=$(free_port)
  SINK_OUT="$WORK/sink-$1.out"
  SINK_DUMPS="$WORK/dumps-$1"
  mkdir -p "$SINK_DUMPS"
  local user_opt=()
  [ "$(id -u)" -eq 0 ] && user_opt=(-u root)
  "$SMTP_SINK" "${user_opt[@]}" -c -d "$SINK_DUMPS/%H%M%S." -m 1000 "127.0.0.1:$SINK_PORT" 1024 >"$SINK_OUT" 2>&1 </dev/null &
  SINK_PID=$!
  STARTED_PIDS+=("$SINK_PID")
  wait_listening "$SINK_PORT" "$SINK_PID" 10 || die "smtp-sink did not start: $(cat "$SINK_OUT")"
}
sink_count() {
  local n
  n=$(tail -c 200 "$SINK_OUT" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || true)
  echo "${n:-0}"
}
# How many DKIM-Signature fields one delivered message carries, and of which algorithms (a check, not timed).
signatures_of_a_sample() {
  local f
  f=$(find "$SINK_DUMPS" -type f | head -1)
  [ -n "$f" ] || { echo "no message dumped"; return; }
  { grep -i -A2 '^DKIM-Signature:' "$f" || true; } | { grep -o 'a=[a-z0-9-]*' || echo "none"; } | sort | tr '\n' ' '
}

RESULT_RATE=""; RESULT_INJECT=""; RESULT_SECS=""; RESULT_GOT=""; RESULT_CPU=""
drive_load() { # name port
  local name=$1 port=$2 t0 t_inj t1 rc deadline got m0 m1
  log "$name: relaying $MESSAGES messages of $SIZE bytes over $SESSIONS sessions via 127.0.0.1:$port"
  m0=$(machine_busy_ticks)
  t0=$(now)
  set +e
  "$SMTP_SOURCE" -s "$SESSIONS" -l "$SIZE" -m "$MESSAGES" -t "$RCPT" -f "$SENDER" -M client.bench.test \
    "127.0.0.1:$port" >"$WORK/source-$name.out" 2>&1 </dev/null
  rc=$?
  set -e
  t_inj=$(now)
  [ "$rc" -eq 0 ] || log "$name: smtp-source exited $rc: $(tail -3 "$WORK/source-$name.out" | tr '\n' ' ')"
  deadline=$(( $(date +%s) + TIMEOUT ))
  while :; do
    got=$(sink_count)
    [ "$got" -ge "$MESSAGES" ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then log "$name: TIMEOUT after ${TIMEOUT}s: sink has $got of $MESSAGES"; break; fi
    sleep 0.05
  done
  t1=$(now)
  m1=$(machine_busy_ticks)
  RESULT_GOT=$got
  RESULT_SECS=$(fsub "$t1" "$t0")
  RESULT_RATE=$(fdiv "$got" "$RESULT_SECS")
  RESULT_INJECT=$(fdiv "$MESSAGES" "$(fsub "$t_inj" "$t0")")
  # Everything on the machine counts: a busy total well above what the run explains means others disturbed it.
  RESULT_CPU="machine busy $(secs $(( m1 - m0 )))s of $(awk -v s="$RESULT_SECS" -v n="$(nproc)" 'BEGIN { printf "%.1f", s * n }')s CPU"
  log "$name: sink received $got/$MESSAGES in ${RESULT_SECS}s = $RESULT_RATE msg/s end to end (accepted at $RESULT_INJECT msg/s; $RESULT_CPU)"
}

# ================================================================= Postern
POSTERN_RATE=""; POSTERN_GOT=""; POSTERN_SECS=""; POSTERN_INJECT=""; POSTERN_CPU=""; POSTERN_SIGS=""
run_postern() {
  if [ ! -x "$ROOT/postern" ] || [ ! -f "$ROOT/target/runtime.classpath" ]; then
    log "Postern: ./postern or target/runtime.classpath missing (run ./postern --help once to build): skipping"
    return 0
  fi
  start_sink postern
  local port data conf pid algo
  start_bench_dns mx:dest.test
  port=$(free_port)
  data="$WORK/postern-data"
  mkdir -p "$data"
  conf="$WORK/postern.yaml"
  cat >"$conf" <<EOF
node: { hostname: bench.postern.test, data-dir: $data }
listeners: { smtp: { address: 127.0.0.1, port: $port }, admin: { address: 127.0.0.1, port: 0 } }
store: { url: "jdbc:h2:file:$data/postern" }
dns: { servers: ["$DNS_ADDRESS"], timeout: 2s }
limits: { connections-per-ip: 10000, connections-per-network: 10000, messages-per-ip-per-minute: 10000000, recipients-per-ip-per-minute: 10000000, max-recipients: 500 }
outbound: { helo: out.bench.postern.test, mx-port: $SINK_PORT }
tenants:
  - id: bench
    domains: [bench.test]
    delivery: "smtp://127.0.0.1:$SINK_PORT"
    connectors:
      - { name: onprem, kind: on-premises, match: { ips: [127.0.0.1/32] } }
$( [ "${POSTERN_SIGN:-1}" = 1 ] && echo "    dkim: [{ domain: bench.test, selector: b1 }]" )
EOF
  algo=$ALGORITHMS
  (cd "$ROOT" && ./postern dkim keygen --config "$conf" --tenant bench --domain bench.test --selector b1 --algorithm "$algo") \
    >"$WORK/keygen.out" 2>&1 || die "dkim keygen failed: $(cat "$WORK/keygen.out")"
  log "Postern: starting on 127.0.0.1:$port (DNS $DNS_ADDRESS; MX of dest.test -> 127.0.0.1:$SINK_PORT)"
  (cd "$ROOT" && exec ./postern serve --config "$conf") >"$WORK/postern.log" 2>&1 </dev/null &
  pid=$!
  STARTED_PIDS+=("$pid")
  wait_listening "$port" "$pid" 600 || die "Postern did not listen on $port: $(tail -20 "$WORK/postern.log")"
  sleep 3
  drive_load postern "$port"
  POSTERN_RATE=$RESULT_RATE; POSTERN_GOT=$RESULT_GOT; POSTERN_SECS=$RESULT_SECS; POSTERN_INJECT=$RESULT_INJECT; POSTERN_CPU=$RESULT_CPU
  POSTERN_SIGS=$(signatures_of_a_sample)
  [ "$RESULT_GOT" -ge "$MESSAGES" ] || log "Postern: log tail: $(grep -E 'WARN|ERROR' "$WORK/postern.log" | tail -5)"
  stop_pid_tree "$pid"
  stop_pid_tree "$DNS_PID"
  stop_pid_tree "$SINK_PID"
}

# ================================================================= Postfix + OpenDKIM
POSTFIX_RATE=""; POSTFIX_GOT=""; POSTFIX_SECS=""; POSTFIX_INJECT=""; POSTFIX_CPU=""; POSTFIX_SIGS=""
run_postfix() {
  if [ -z "$POSTFIX" ] || [ -z "$OPENDKIM" ]; then log "Postfix/OpenDKIM: postfix or opendkim not installed: skipping"; return 0; fi
  if [ "$(id -u)" -ne 0 ]; then log "Postfix: needs root (private instance with its own queue): skipping"; return 0; fi
  start_sink postfix
  local port pfx dk milter opid
  port=$(free_port)
  milter=$(free_port)
  dk="$WORK/opendkim"
  mkdir -p "$dk/keys"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dk/keys/b1-rsa.key" 2>/dev/null
  {
    echo "b1-rsa._domainkey.bench.test bench.test:b1-rsa:$dk/keys/b1-rsa.key"
  } >"$dk/KeyTable"
  echo "*@bench.test b1-rsa._domainkey.bench.test" >"$dk/SigningTable"
  # ALGORITHMS=both: Debian's OpenDKIM 2.11 did not load an Ed25519 key from a KeyTable in our tries (the milter
  # tempfailed every message), so the Postfix side signs with RSA only and the report says so.
  chown -R opendkim:opendkim "$dk"
  chmod 700 "$dk/keys"; chmod 600 "$dk"/keys/*
  cat >"$dk/opendkim.conf" <<EOF
Mode s
Socket inet:$milter@127.0.0.1
UserID opendkim:opendkim
PidFile $dk/opendkim.pid
KeyTable file:$dk/KeyTable
SigningTable refile:$dk/SigningTable
MultipleSignatures yes
Canonicalization relaxed/relaxed
SignatureAlgorithm rsa-sha256
OversignHeaders From
RequireSafeKeys false
Syslog no
Background no
EOF
  "$OPENDKIM" -f -x "$dk/opendkim.conf" >"$WORK/opendkim.log" 2>&1 </dev/null &
  opid=$!
  STARTED_PIDS+=("$opid")
  wait_listening "$milter" "$opid" 20 || die "opendkim did not start: $(cat "$WORK/opendkim.log")"

  pfx="$WORK/postfix"
  mkdir -p "$pfx/etc" "$pfx/spool" "$pfx/data" "$pfx/log"
  chown postfix "$pfx/data"
  cat >"$pfx/etc/main.cf" <<EOF
# Private Postfix relay with OpenDKIM for the outbound benchmark (generated by bench/outbound/run.sh)
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
relayhost = [127.0.0.1]:$SINK_PORT
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_milters = inet:127.0.0.1:$milter
non_smtpd_milters = \$smtpd_milters
milter_default_action = tempfail
milter_protocol = 6
smtpd_tls_security_level = none
smtp_tls_security_level = none
smtp_dns_support_level = disabled
biff = no
append_dot_mydomain = no
maillog_file_prefixes = $pfx/log
maillog_file = $pfx/log/maillog
EOF
  cat >"$pfx/etc/master.cf" <<EOF
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
  log "Postfix: starting private instance on 127.0.0.1:$port (OpenDKIM milter 127.0.0.1:$milter, relayhost 127.0.0.1:$SINK_PORT)"
  "$POSTFIX" -c "$POSTFIX_CONF" start >"$WORK/postfix-start.out" 2>&1 || die "postfix start failed: $(cat "$WORK/postfix-start.out") $(tail -5 "$pfx/log/maillog" 2>/dev/null)"
  for _ in $(seq 1 100); do is_listening "$port" && break; sleep 0.1; done
  is_listening "$port" || die "Postfix does not listen on $port: $(tail "$pfx/log/maillog" 2>/dev/null)"
  sleep 1
  drive_load postfix "$port"
  POSTFIX_RATE=$RESULT_RATE; POSTFIX_GOT=$RESULT_GOT; POSTFIX_SECS=$RESULT_SECS; POSTFIX_INJECT=$RESULT_INJECT; POSTFIX_CPU=$RESULT_CPU
  POSTFIX_SIGS=$(signatures_of_a_sample)
  "$POSTFIX" -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true
  POSTFIX_CONF=""
  stop_pid_tree "$opid"
  stop_pid_tree "$SINK_PID"
  local warn
  warn=$(grep -c -E 'warning|fatal|panic' "$pfx/log/maillog" 2>/dev/null || true)
  [ "$RESULT_GOT" -ge "$MESSAGES" ] || log "OpenDKIM log tail: $(tail -3 "$WORK/opendkim.log" | tr '\n' ' ')"
  [ "${warn:-0}" -eq 0 ] || log "Postfix: $warn warning lines, e.g. $(grep -E 'warning|fatal|panic' "$pfx/log/maillog" | head -2 | tr '\n' ' ')"
}

[ "${SKIP_POSTERN:-0}" = 1 ] || run_postern
[ "${SKIP_POSTFIX:-0}" = 1 ] || run_postfix

echo
echo "== Outbound with DKIM signing (Postern: $ALGORITHMS; Postfix+OpenDKIM: rsa): $MESSAGES messages x $SIZE bytes, $SESSIONS sessions, 1 recipient, to smtp-sink"
echo "   load: smtp-source -s $SESSIONS -l $SIZE -m $MESSAGES -f $SENDER -t $RCPT (CPUs: $(nproc); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-34s %s\n' "Postern msg/s (end to end):" "${POSTERN_RATE:-n/a}${POSTERN_GOT:+  ($POSTERN_GOT delivered in ${POSTERN_SECS}s; accepted at $POSTERN_INJECT msg/s)}"
printf '%-34s %s\n' "Postfix+OpenDKIM msg/s (end to end):" "${POSTFIX_RATE:-n/a}${POSTFIX_GOT:+  ($POSTFIX_GOT delivered in ${POSTFIX_SECS}s; accepted at $POSTFIX_INJECT msg/s)}"
if [ -n "$POSTERN_RATE" ] && [ -n "$POSTFIX_RATE" ] && [ "$POSTFIX_RATE" != n/a ] && [ "$POSTERN_RATE" != n/a ] \
   && awk -v b="$POSTFIX_RATE" 'BEGIN { exit !(b > 0) }'; then
  printf '%-34s %s\n' "Ratio Postern/(Postfix+OpenDKIM):" "$(awk -v a="$POSTERN_RATE" -v b="$POSTFIX_RATE" 'BEGIN { printf "%.2f", a / b }')"
else
  printf '%-34s %s\n' "Ratio Postern/(Postfix+OpenDKIM):" "n/a"
fi
printf '%-34s %s\n' "Signatures on a Postern message:" "${POSTERN_SIGS:-n/a}"
printf '%-34s %s\n' "Signatures on a Postfix message:" "${POSTFIX_SIGS:-n/a}"
printf '%-34s %s\n' "CPU during Postern load:" "${POSTERN_CPU:-n/a}"
printf '%-34s %s\n' "CPU during Postfix load:" "${POSTFIX_CPU:-n/a}"
