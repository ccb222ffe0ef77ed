#!/usr/bin/env bash
# Content classification per message on one core (JMH, ClassificationBenchmark): classifier + SCL on the parsed view
# (target >= 1,000 msg/s per core), the same with the parse, and the parse alone as the baseline run in the same
# process (held-out corpus messages, bundled model). Run on a quiet machine; extra args go to JMH.
# Usage: bench/content/classify-cost.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source bench/jmh.sh
out=target/bench-classify.json
jmh ClassificationBenchmark "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
base = rows["parseOnlyBaseline"]["score"]
view = rows["classifyParsedView"]
full = rows["parseAndClassify"]
print(f"classifier + SCL on the parsed view: {view['score']:,.0f} msg/s per core (+/- {view['scoreError']:,.0f}; "
      f"target >= 1,000): {view['score'] / 1000:.1f}x the target")
print(f"parse + classifier + SCL:            {full['score']:,.0f} msg/s per core (+/- {full['scoreError']:,.0f})")
print(f"parse alone (baseline):              {base:,.0f} msg/s per core; classification costs "
      f"{base / view['score']:.2f}x a parse, the whole {base / full['score']:.2f}x")
PY
