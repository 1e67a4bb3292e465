#!/usr/bin/env bash
# PROTOTYPE measurement (see docs/BENCHMARKS.md): W1 with the runtime as it is and with the
# prototype patches in benchmarks/prototypes/, each built into its own benchmarks jar:
#   git apply benchmarks/prototypes/<patch>; ./mvnw -B -Pbenchmarks -pl benchmarks -am package -DskipTests
#   cp benchmarks/target/benchmarks.jar <dir>/<name>.jar; git checkout runtime
# Usage: benchmarks/run-prototypes.sh <dir with baseline.jar, A.jar, AB.jar, ABC.jar, AC.jar> [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")"
JARS=$1
ROUNDS=${2:-2}
JAVA=${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java
OUT=target/results-prototypes
mkdir -p "$OUT"
foreign() { pgrep -af java | grep -v -e benchmarks.jar -e ForkedMain -e "$JARS" | grep -q .; }
run() { # jar method n round
  while foreign; do sleep 5; done
  "$JAVA" --enable-preview -jar "$JARS/$1.jar" "io.github.loomresult.benchmarks.W1SpawnGather.$2\$" \
    -p n="$3" -f 1 -wi 2 -w 1 -i 4 -r 1 -prof gc -rf json -rff "$OUT/$1-$2-$3-r$4.json" \
    >"$OUT/$1-$2-$3-r$4.log" 2>&1 || echo "FAILED $1 $2 $3"
}
for r in $(seq 1 "$ROUNDS"); do
  for n in 1000 100000 1000000; do
    run baseline raw $n $r
    run baseline loomresult $n $r
    run A loomresult $n $r
    run AB loomresult $n $r
    run ABC loomresult $n $r
    run AC loomresult $n $r
    run baseline loomresultGather $n $r
    run ABC loomresultGather $n $r
  done
done
