#!/usr/bin/env bash
# Content filter accuracy, side by side: k-fold cross-validation on the SpamAssassin public corpus
# (shared/corpus/spamassassin) through Postern's `train` and `classify` CLIs, and the same folds through
# SpamAssassin (Debian `spamassassin`: sa-learn per fold, spamd local-only, network tests off) and Rspamd
# (Debian `rspamd`: Bayes learned with `rspamc learn_spam/learn_ham`, network modules off). Prints per fold and
# pooled: spam recall at SCL>=5, ham false positives at SCL>=5 and >=7, ROC AUC; and classification throughput
# against spamd on the same messages. See bench/README.md ("accuracy") for the mapping of peer scores to SCL.
#
#   bench/accuracy/run.sh                         # Postern on 5 folds, peers on fold 0
#   PEER_FOLDS=5 bench/accuracy/run.sh            # peers on every fold (sa-learn: ~10 min per fold)
#   PEERS="" bench/accuracy/run.sh                # Postern only
#   PEERS="spamassassin" FOLDS_TO_RUN="0" ...     # one peer, one fold
# Knobs: CORPUS, WORK (default a new /tmp/postern-accuracy.*), FOLDS (5), FOLDS_TO_RUN (all), PEER_FOLDS (1:
# the first folds run through the peers), PEERS ("spamassassin rspamd"), KEEP=1 keeps WORK, REDIS_DB (13, the
# Redis database Rspamd's Bayes uses: it must be empty or the bench's own), SA_PORT, RSPAMD_PORT.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ -z "${CORPUS:-}" ]; then
  CORPUS="$(cd "$root/.." && pwd)/shared/corpus/spamassassin"
  [ -f "$CORPUS/spam.tar.gz" ] || CORPUS=/work/shared/corpus/spamassassin
fi
[ -d "$CORPUS" ] || { echo "bench/accuracy: CORPUS $CORPUS is no directory" >&2; exit 2; }
FOLDS="${FOLDS:-5}"
FOLDS_TO_RUN="${FOLDS_TO_RUN:-$(seq -s ' ' 0 $((FOLDS - 1)))}"
PEER_FOLDS="${PEER_FOLDS:-1}"
PEERS="${PEERS-spamassassin rspamd}"
REDIS_DB="${REDIS_DB:-13}"
SA_PORT="${SA_PORT:-17830}"
RSPAMD_PORT="${RSPAMD_PORT:-17833}"
WORK="${WORK:-$(mktemp -d /tmp/postern-accuracy.XXXXXX)}"
mkdir -p "$WORK"
results="$WORK/results.tsv"
: > "$results"
pids=()

log() { printf '[accuracy] %s\n' "$*" >&2; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${redis_used:-}" ]; then redis-cli -n "$REDIS_DB" flushdb >/dev/null 2>&1 || true; fi
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
elapsed() { python3 -c "print('%.1f' % ($2 - $1))"; }

log "corpus $CORPUS, work $WORK, load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
python3 "$here/folds.py" split "$CORPUS" "$WORK" "$FOLDS" >&2

# ------------------------------------------------------------------ Postern, through the CLIs
"$root/postern" --help >/dev/null 2>&1 || true   # builds on first use, outside the timings
for k in $FOLDS_TO_RUN; do
  f="$WORK/fold$k"
  t0=$(now)
  "$root/postern" train --model "$f/postern.bin" --spam "$f/train-spam" --ham "$f/train-ham" >&2
  t1=$(now)
  "$root/postern" classify --model "$f/postern.bin" --json "$f/test" > "$f/postern.jsonl"
  t2=$(now)
  python3 - "$f/postern.jsonl" > "$f/postern.scores" <<'PY'
import json, os, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    name = os.path.basename(o["file"])
    print(1 if name.startswith("spam") else 0, o["scl"], o["score"])
PY
  n=$(wc -l < "$f/postern.scores")
  log "postern fold $k: trained in $(elapsed "$t0" "$t1") s, classified $n in $(elapsed "$t1" "$t2") s (JVM start included)"
  echo "postern_classify_seconds $k $(elapsed "$t1" "$t2") $n" >> "$WORK/timings"
  python3 "$here/folds.py" metrics "postern/fold$k" 5 7 "$f/postern.scores" >> "$results"
done
cat "$WORK"/fold*/postern.scores > "$WORK/postern.scores"
python3 "$here/folds.py" metrics "postern/all" 5 7 "$WORK/postern.scores" >> "$results"

peer_folds=$(echo "$FOLDS_TO_RUN" | tr ' ' '\n' | head -n "$PEER_FOLDS" | tr '\n' ' ')

# ------------------------------------------------------------------ SpamAssassin
# Score >= 5 (its required_score) stands for SCL>=5, score >= 7 for SCL>=7.
run_spamassassin() {
  command -v sa-learn >/dev/null && command -v spamd >/dev/null && command -v spamc >/dev/null \
    || { log "spamassassin: apt-get install spamassassin spamc spamd (skipped)"; return; }
  : > "$WORK/spamassassin.scores"
  for k in $peer_folds; do
    f="$WORK/fold$k"
    site="$f/sa-site"
    mkdir -p "$site" "$f/sa"
    cp /etc/spamassassin/*.pre "$site/"
    cat > "$site/local.cf" <<CF
use_bayes 1
bayes_auto_learn 0
bayes_path $f/sa/bayes
bayes_file_mode 0777
skip_rbl_checks 1
dns_available no
use_razor2 0
use_pyzor 0
use_dcc 0
required_score 5.0
CF
    t0=$(now)
    sa-learn --siteconfigpath="$site" --no-sync --spam "$f/train-spam" >&2
    sa-learn --siteconfigpath="$site" --no-sync --ham "$f/train-ham" >&2
    sa-learn --siteconfigpath="$site" --sync >&2
    t1=$(now)
    # spamd runs as nobody: it must be able to walk to the site config (mktemp -d makes WORK 0700)
    chmod a+x "$WORK" "$f"
    chmod -R a+rwX "$f/sa" "$site"
    spamd -L -x --siteconfigpath="$site" --listen="127.0.0.1:$SA_PORT" -m 2 -u nobody -s "$f/spamd.log" \
      --pidfile "$f/spamd.pid" &
    pids+=($!)
    for _ in $(seq 1 120); do spamc -d 127.0.0.1 -p "$SA_PORT" -K >/dev/null 2>&1 && break; sleep 1; done
    t2=$(now)
    # two clients at a time, as spamd has two children (-m 2): one per core
    find "$f/test" -type f -print0 | xargs -0 -P 2 -n 20 sh -c '
      for m; do
        s=$(spamc -d 127.0.0.1 -p '"$SA_PORT"' -x -c < "$m" | cut -d/ -f1) || true
        case "$(basename "$m")" in spam*) l=1 ;; *) l=0 ;; esac
        echo "$l $s"
      done' sh > "$f/spamassassin.scores"
    t3=$(now)
    kill "$(cat "$f/spamd.pid")" 2>/dev/null || true
    n=$(wc -l < "$f/spamassassin.scores")
    log "spamassassin fold $k: sa-learn $(elapsed "$t0" "$t1") s, spamd classified $n in $(elapsed "$t2" "$t3") s"
    echo "spamd_classify_seconds $k $(elapsed "$t2" "$t3") $n" >> "$WORK/timings"
    python3 "$here/folds.py" metrics "spamassassin/fold$k" 5 7 "$f/spamassassin.scores" >> "$results"
    cat "$f/spamassassin.scores" >> "$WORK/spamassassin.scores"
  done
  python3 "$here/folds.py" metrics "spamassassin/all" 5 7 "$WORK/spamassassin.scores" >> "$results"
}

# ------------------------------------------------------------------ Rspamd
# Score >= 6 (its add-header action) stands for SCL>=5, score >= 8 for SCL>=7.
run_rspamd() {
  command -v rspamd >/dev/null && command -v rspamc >/dev/null || { log "rspamd: apt-get install rspamd (skipped)"; return; }
  command -v redis-cli >/dev/null || { log "rspamd: its Bayes needs Redis and redis-cli (skipped)"; return; }
  local size
  size=$(redis-cli -n "$REDIS_DB" dbsize)
  if [ "$size" != 0 ] && [ "$(redis-cli -n "$REDIS_DB" exists postern-accuracy-bench)" != 1 ]; then
    log "rspamd: Redis database $REDIS_DB holds $size keys that are not the bench's; set REDIS_DB (skipped)"; return
  fi
  redis_used=1
  : > "$WORK/rspamd.scores"
  for k in $peer_folds; do
    f="$WORK/fold$k"
    r="$f/rspamd"
    mkdir -p "$r/local/local.d" "$r/local/override.d" "$r/run" "$r/db" "$r/log"
    redis-cli -n "$REDIS_DB" flushdb >/dev/null
    redis-cli -n "$REDIS_DB" set postern-accuracy-bench 1 >/dev/null
    cat > "$r/local/local.d/classifier-bayes.conf" <<CF
servers = "127.0.0.1:6379";
dbname = "$REDIS_DB";
min_learns = 1;
autolearn = false;
CF
    echo 'bind_socket = "127.0.0.1:'"$RSPAMD_PORT"'";' > "$r/local/override.d/worker-normal.inc"
    echo 'bind_socket = "127.0.0.1:'$((RSPAMD_PORT + 1))'";' > "$r/local/override.d/worker-controller.inc"
    echo 'enabled = false;' > "$r/local/override.d/worker-proxy.inc"
    # local only: no lists, fuzzy hashes or DNS-based checks (as SpamAssassin's network tests are off)
    for m in rbl fuzzy_check dkim spf dmarc asn phishing url_redirector emails dkim_signing arc \
             hfilter mx_check greylist replies ratelimit neural history_redis; do
      echo 'enabled = false;' > "$r/local/local.d/$m.conf"
    done
    echo 'dns { timeout = 0.2s; retransmits = 1; }' > "$r/local/local.d/options.inc"
    echo 'type = "file"; filename = "'"$r/log/rspamd.log"'"; level = "error";' > "$r/local/override.d/logging.inc"
    rspamd -f -i -u root -g root -c /etc/rspamd/rspamd.conf --var "LOCAL_CONFDIR=$r/local" --var "RUNDIR=$r/run" \
      --var "DBDIR=$r/db" --var "LOGDIR=$r/log" > "$r/log/stdout" 2>&1 &
    pids+=($!)
    local rpid=$!
    for _ in $(seq 1 60); do rspamc -h "127.0.0.1:$((RSPAMD_PORT + 1))" stat >/dev/null 2>&1 && break; sleep 1; done
    t0=$(now)
    rspamc -h "127.0.0.1:$((RSPAMD_PORT + 1))" -n 4 learn_spam "$f/train-spam" > "$r/learn.log" 2>&1
    rspamc -h "127.0.0.1:$((RSPAMD_PORT + 1))" -n 4 learn_ham "$f/train-ham" >> "$r/learn.log" 2>&1
    t1=$(now)
    rspamc -h "127.0.0.1:$RSPAMD_PORT" -n 4 symbols "$f/test" > "$r/symbols.txt" 2>&1
    t2=$(now)
    python3 - "$r/symbols.txt" > "$f/rspamd.scores" <<'PY'
import os, re, sys
name = None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"Results for file: (\S+)", line)
    if m:
        name = os.path.basename(m.group(1))
        continue
    m = re.match(r"(?:Score|Spam): .*?(-?\d+(?:\.\d+)?) / ", line)
    if m and name:
        print(1 if name.startswith("spam") else 0, m.group(1))
        name = None
PY
    kill "$rpid" 2>/dev/null || true
    wait "$rpid" 2>/dev/null || true
    n=$(wc -l < "$f/rspamd.scores")
    log "rspamd fold $k: learned in $(elapsed "$t0" "$t1") s ($(grep -c -i 'success' "$r/learn.log" || true) ok), classified $n in $(elapsed "$t1" "$t2") s"
    python3 "$here/folds.py" metrics "rspamd/fold$k" 6 8 "$f/rspamd.scores" >> "$results"
    cat "$f/rspamd.scores" >> "$WORK/rspamd.scores"
  done
  python3 "$here/folds.py" metrics "rspamd/all" 6 8 "$WORK/rspamd.scores" >> "$results"
}

for p in $PEERS; do "run_$p"; done

echo
printf '%-20s %10s %10s %10s %8s %6s %6s\n' "filter/fold" "recall@5%" "hamFP@5%" "hamFP@7%" "AUC" "spam" "ham"
while IFS=$'\t' read -r name rec fp5 fp7 auc ns nh; do
  printf '%-20s %10s %10s %10s %8s %6s %6s\n' "$name" "$rec" "$fp5" "$fp7" "$auc" "$ns" "$nh"
done < "$results"
if grep -q spamd_classify "$WORK/timings" 2>/dev/null; then
  python3 - "$WORK/timings" <<'PY'
import sys, collections
t = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    what, fold, secs, n = line.split()
    t[fold][what] = (float(secs), int(n))
for fold, d in sorted(t.items()):
    if "spamd_classify_seconds" in d and "postern_classify_seconds" in d:
        ps, pn = d["postern_classify_seconds"]; ss, sn = d["spamd_classify_seconds"]
        print("throughput fold %s: postern %.0f msg/s (JVM start included), spamd %.0f msg/s: %.1fx" % (fold, pn / ps, sn / ss, (pn / ps) / (sn / ss)))
PY
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
