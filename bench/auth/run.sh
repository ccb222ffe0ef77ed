#!/usr/bin/env bash
# SPF + DKIM + DMARC cost per message with a warm DNS cache (JMH), against an RSA-2048 verify baseline.
# Usage: bench/auth/run.sh   (builds the test classes; prints both scores and their ratio)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/jmh.sh
out=target/bench-auth.json
jmh SenderAuthenticationBenchmark "$out" "$@"
python3 - "$out" <<'PY'
import json, sys
rows = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(sys.argv[1]))}
auth, base = rows["spfDkimDmarc"], rows["rsaVerifyBaseline"]
print(f"SPF+DKIM+DMARC per message: {auth:.1f} us (target <= 200 us); RSA-2048 verify baseline: {base:.1f} us; ratio {auth/base:.2f}")
PY
