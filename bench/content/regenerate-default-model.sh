#!/usr/bin/env bash
# Regenerates src/main/resources/org/postern/content/default-model.bin from the training side of the corpus split
# and prints the held-out accuracy. Deterministic: DefaultModelTest fails when the shipped file differs from this.
# Usage: bench/content/regenerate-default-model.sh [CORPUS_DIR]   (default: ../shared/corpus/spamassassin)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
corpus="${1:-}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >/dev/null
"$JAVA_HOME/bin/java" ${corpus:+-Dpostern.corpus="$corpus"} \
  -cp "target/classes:target/test-classes:$(cat target/test.classpath)" org.postern.content.DefaultModelBuilder
