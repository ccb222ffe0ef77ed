# Shell helpers shared by the benchmark scripts (smtp-throughput, scale, outbound, malware): logging, finding Postfix's
# tools and the JDK, ports from /proc without connecting, stopping what a script started, arithmetic for the figures,
# and the benchmarks' DNS server. Source it after ROOT is set.

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_bin() {
  local name=$1 c
  for c in "/usr/sbin/$name" "/usr/lib/postfix/sbin/$name" "/usr/bin/$name"; do
    [ -x "$c" ] && { echo "$c"; return 0; }
  done
  command -v "$name" 2>/dev/null
}

descendants() {
  local c
  for c in $(pgrep -P "$1" 2>/dev/null || true); do echo "$c"; descendants "$c"; done
}

stop_pid_tree() { # pid [grace seconds, default 20]: a process this script started, and what it spawned
  local pid=$1 grace=${2:-20} kids p
  kill -0 "$pid" 2>/dev/null || return 0
  kids=$(descendants "$pid")
  kill -TERM "$pid" $kids 2>/dev/null || true
  for _ in $(seq 1 $(( grace * 5 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  for p in $pid $kids; do kill -KILL "$p" 2>/dev/null || true; done
  wait "$pid" 2>/dev/null || true
}

# Something LISTENs on the port (any address), from /proc/net/tcp and /proc/net/tcp6 (no connection is made). Java binds
# dual-stack sockets, so a JVM listening on 127.0.0.1 shows up in tcp6 as ::ffff:127.0.0.1, not in tcp.
is_listening() { # port
  local hex f files=()
  hex=$(printf '%04X' "$1")
  for f in /proc/net/tcp /proc/net/tcp6; do [ -r "$f" ] && files+=("$f"); done
  awk -v h=":$hex" 'FNR > 1 && $4 == "0A" && substr($2, length($2) - 4) == h { f = 1 } END { exit !f }' "${files[@]}"
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    is_listening "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

wait_listening() { # port pid seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do
    is_listening "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

now() { date +%s.%N; }
fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
fdiv() { # a b [decimals, default 1]; n/a when b is 0
  awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (b == 0) print "n/a"; else printf "%." d "f", a / b }'
}
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
secs() { awk -v t="$1" -v h="$CLK_TCK" 'BEGIN { printf "%.1f", t / h }'; }  # clock ticks as seconds
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

find_java() { # -> JAVA (Temurin 25 unless JAVA_HOME says otherwise)
  local c
  if [ -z "${JAVA_HOME:-}" ]; then
    for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*temurin*; do
      [ -x "$c/bin/java" ] && { JAVA_HOME=$c; break; }
    done
  fi
  export JAVA_HOME=${JAVA_HOME:-}
  JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
}

# records... (spf:DOMAIN, mx:DOMAIN) -> DNS_ADDRESS, DNS_PID (also in STARTED_PIDS). Without it a gateway on a machine
# with no resolver answers the load with 451 (DMARC needs a DNS answer) and smtp-source gives up.
start_bench_dns() {
  [ -f "$ROOT/target/runtime.classpath" ] || (cd "$ROOT" && ./postern --help >/dev/null 2>&1) || true  # builds on first use
  "$JAVA" -cp "$ROOT/target/classes:$(cat "$ROOT/target/runtime.classpath")" "$ROOT/bench/BenchDns.java" "$@" \
    >"$WORK/dns.out" 2>&1 </dev/null &
  DNS_PID=$!
  STARTED_PIDS+=("$DNS_PID")
  for _ in $(seq 1 300); do grep -q '^DNS ' "$WORK/dns.out" 2>/dev/null && break; kill -0 "$DNS_PID" 2>/dev/null || break; sleep 0.1; done
  DNS_ADDRESS=$(sed -n 's/^DNS //p' "$WORK/dns.out")
  [ -n "$DNS_ADDRESS" ] || die "the benchmark's DNS server did not start: $(cat "$WORK/dns.out")"
}
