#!/usr/bin/env bash
# Cost of one RCPT decision with 1,000 tenants x 1,000 CIDR entries + 10 connectors (JMH), against the same pipeline
# scanning the lists entry by entry.
# Usage: bench/rcpt-decision/run.sh [JMH options]   (builds the test classes; prints both scores and their ratio)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/jmh.sh
out=target/bench-rcpt-decision.json
log=target/bench-rcpt-decision.log
jmh RcptDecisionBenchmark "$out" "$@" | tee "$log"
python3 - "$out" "$log" <<'PY'
import json, re, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
cpu = dict(re.findall(r"CPU-TIME (\w+) ([0-9.]+) us/op", open(sys.argv[2]).read()))
idx, scan = rows["rcptDecisionIndexed"], rows["rcptDecisionLinearScanBaseline"]
ci, cs = float(cpu["rcptDecisionIndexed"]), float(cpu["rcptDecisionLinearScanBaseline"])
print(f"RCPT decision (wall clock, JMH): indexed {idx['score']:.2f} +- {idx['scoreError']:.2f} us (target <= 20 us); "
      f"linear scan baseline {scan['score']:.2f} +- {scan['scoreError']:.2f} us; ratio indexed/scan {idx['score']/scan['score']:.3f}")
print(f"RCPT decision (CPU time of the benchmark thread): indexed {ci:.2f} us; linear scan baseline {cs:.2f} us; ratio {ci/cs:.3f}")
PY
