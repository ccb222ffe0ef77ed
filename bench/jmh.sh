# Sourced by bench/*/run.sh (from the repository root): builds the test classes and runs one JMH benchmark class.
# jmh CLASS RESULT.json [JMH options...]  — JMH's output on stdout, the scores as JSON in RESULT.json.
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

jmh() {
  local class=$1 out=$2
  shift 2
  ./mvnw -B -q test-compile
  local cp_file=target/bench-classpath.txt
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
  "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
    org.openjdk.jmh.Main "$class" -rf json -rff "$out" "$@"
}
