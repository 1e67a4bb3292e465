#!/usr/bin/env bash
# The measurement run behind docs/BENCHMARKS.md: every (workload, system) is run as its own JMH
# invocation with one fork, and the whole list is repeated ROUNDS times, so systems are interleaved
# in time and each configuration gets ROUNDS forks. Results: benchmarks/target/results/*.json,
# summarized by benchmarks/summarize.py.
#
#   ./mvnw -B -Pbenchmarks -pl benchmarks -am package -DskipTests
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run.sh [ROUNDS [FIRST]]
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${1:-3}
FIRST=${2:-1} # the first round's number: a second invocation with FIRST=4 adds forks to the results
JAVA=${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java
JAR=target/benchmarks.jar
OUT=target/results
mkdir -p "$OUT"
PROF=(-prof gc -prof io.github.loomresult.benchmarks.ProbeProfiler)

# workload | systems | JMH options (iterations override the annotations). The single-shot
# workloads (B2-B4) get tens of warm-up calls: with 5-10, most of what they measured was the JIT
# compiling each system's code (see docs/BENCHMARKS.md, "Method").
B1="raw executor completableFuture structuredTaskScope jox loomresult loomresultGather"
SYS="raw executor completableFuture structuredTaskScope jox loomresult"
B3="$SYS loomresultRace"
B5="rawSemaphore executorSemaphore completableFutureSemaphore structuredTaskScopeSemaphore jox loomresult"
B6="raw structuredTaskScope jox loomresult"
B7="plain hedged"
P1="withoutProcessor withProcessor facadeSourceWithoutProcessor"

# The machine is shared: a fork runs only while no other JVM (a Maven build, tests) runs, and a
# fork during which one appeared is thrown away and run again.
# A fork that just ended shows as "[java] <defunct>" until JMH reaps it, and JMH starts a short
# "java -XX:CompileCommand=blackhole,some/fake/Class.method -version" to probe the JVM: neither is
# a foreign JVM.
foreign() {
  pgrep -af java | grep -v -e benchmarks.jar -e ForkedMain -e "<defunct>" -e "blackhole,some/fake" \
    | grep -q .
}
watch_foreign() { while true; do foreign && touch "$OUT/.disturbed"; sleep 1; done; }
watch_foreign &
WATCHER=$!
trap 'kill $WATCHER' EXIT

bench() { # class method round options...
  local cls=$1 m=$2 r=$3
  shift 3
  for attempt in 1 2 3 4 5; do
    while foreign; do sleep 5; done
    rm -f "$OUT/.disturbed"
    "$JAVA" --enable-preview -jar "$JAR" "io.github.loomresult.benchmarks.$cls.$m\$" -f 1 \
      "${PROF[@]}" -rf json -rff "$OUT/$cls.$m.r$r.json" "$@" >"$OUT/$cls.$m.r$r.log" 2>&1 \
      || echo "FAILED: $cls.$m round $r (see $OUT/$cls.$m.r$r.log)"
    [ -e "$OUT/.disturbed" ] || return 0
    echo "disturbed by another JVM: $cls.$m round $r, attempt $attempt; again"
  done
}

for r in $(seq "$FIRST" $((FIRST + ROUNDS - 1))); do
  echo "round $r: $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  for m in $B1; do bench B1SpawnGather "$m" "$r" -wi 2 -w 1 -i 4 -r 1; done
  for m in $SYS; do bench B2FanOutSleep "$m" "$r" -wi 30 -i 20; done
  for m in $B3; do bench B3FirstWins "$m" "$r" -wi 60 -i 40; done
  for m in $SYS; do bench B4FailurePropagation "$m" "$r" -wi 40 -i 30; done
  for m in $B5; do bench B5Limits "$m" "$r" -wi 2 -w 1 -i 3 -r 1; done
  for m in $B6; do bench B6FirstSuccess "$m" "$r" -wi 60 -i 40; done
  for m in $B7; do bench B7Hedging "$m" "$r" -wi 3 -w 2 -i 5 -r 2; done
  for m in $P1; do bench P1Processor "$m" "$r" -wi 4 -i 4; done
done
# Thread counts for B5 (a ThreadLocal per thread: kept out of the timed runs).
for m in $B5; do bench B5Limits "$m" probe -p probe=true -p workMicros=1000 -wi 1 -w 1 -i 2 -r 1; done
echo "done: $(date +%T)"
