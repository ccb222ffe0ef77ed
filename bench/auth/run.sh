#!/usr/bin/env bash
# SPF + DKIM + DMARC cost per message with a warm DNS cache (JMH), against an RSA-2048 verify baseline.
# Usage: bench/auth/run.sh   (builds the test classes; prints both scores and their ratio)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
cp_file=target/bench-classpath.txt
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
cp="target/test-classes:target/classes:$(cat "$cp_file")"
out=target/bench-auth.json
"$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$cp" org.openjdk.jmh.Main SenderAuthenticationBenchmark \
  -rf json -rff "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
auth, base = rows["spfDkimDmarc"], rows["rsaVerifyBaseline"]
print(f"SPF+DKIM+DMARC per message: {auth:.1f} us (target <= 200 us); RSA-2048 verify baseline: {base:.1f} us; ratio {auth/base:.2f}")
PY
