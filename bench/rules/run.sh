#!/usr/bin/env bash
# Transport rules per message (JMH): 100 mixed rules for a typical and for a suspicious message, against a
# one-rule baseline on the same message.
# Usage: bench/rules/run.sh   (builds the test classes; prints the scores and their ratios; extra args go to JMH)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/jmh.sh
out=target/bench-rules.json
jmh TransportRulesBenchmark "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
base = rows["oneRuleBaseline"]["score"]
for name, label in (("hundredRulesNewsletter", "typical newsletter"), ("hundredRulesSuspicious", "suspicious message")):
    m = rows[name]
    print(f"100 rules, {label}: {m['score']:.2f} us (+/- {m['scoreError']:.2f}; target <= 50 us); "
          f"1-rule baseline: {base:.3f} us; ratio {m['score']/base:.0f}")
PY
