#!/usr/bin/env bash
# Classification cost per message on one thread (held-out corpus messages, bundled model): on the parsed view and
# from raw bytes. Run on an idle machine; numbers vary with load. Usage: bench/content/classify-cost.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >/dev/null
"$JAVA_HOME/bin/java" -XX:ActiveProcessorCount=1 -cp "target/classes:target/test-classes:$(cat target/test.classpath)" \
  org.postern.content.ClassifyBench "${1:-5}"
