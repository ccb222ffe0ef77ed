#!/usr/bin/env bash
# Transport rules per message (JMH): 100 mixed rules for a typical and for a suspicious message, against a
# one-rule baseline on the same message.
# Usage: bench/rules/run.sh   (builds the test classes; prints the scores and their ratios; extra args go to JMH)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
cp_file=target/bench-classpath.txt
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
cp="target/test-classes:target/classes:$(cat "$cp_file")"
out=target/bench-rules.json
"$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$cp" org.openjdk.jmh.Main TransportRulesBenchmark \
  -rf json -rff "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(sys.argv[1]))}
base = rows["oneRuleBaseline"]["score"]
for name, label in (("hundredRulesNewsletter", "typical newsletter"), ("hundredRulesSuspicious", "suspicious message")):
    m = rows[name]
    print(f"100 rules, {label}: {m['score']:.2f} us (+/- {m['scoreError']:.2f}; target <= 50 us); "
          f"1-rule baseline: {base:.3f} us; ratio {m['score']/base:.0f}")
PY
