#!/usr/bin/env bash
# An interleaved A/B run of the workloads against two or more builds of the benchmarks jar: every
# (workload, system) runs as one JMH fork per build and round, the builds' order rotates each round,
# and a fork during which another JVM ran is run again. Summary: benchmarks/compare.py.
#
#   benchmarks/compare.sh ROUNDS before=/path/before.jar after=/path/after.jar
#   NO_PEERS=1 benchmarks/compare.sh ...   # loomresult and raw only
#   ONLY='FanOutSleep|FirstWins' OUT=target/compare-b23 benchmarks/compare.sh ...   # some workloads
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${1:?rounds}
shift
JAVA=${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java
OUT=${OUT:-target/compare}
ONLY=${ONLY:-.}
mkdir -p "$OUT"
NAMES=()
declare -A JARS
for spec in "$@"; do
  NAMES+=("${spec%%=*}")
  JARS[${spec%%=*}]=${spec#*=}
done

# The peers (StructuredTaskScope, Jox) and methods that only the newest build has run for the last
# build named on the command line alone: their code is the same in every build.
PEERS=(
  "SpawnGather|structuredTaskScope|-wi 2 -w 1 -i 4 -r 1"
  "SpawnGather|jox|-wi 2 -w 1 -i 4 -r 1"
  "FanOutSleep|structuredTaskScope|-wi 30 -i 20"
  "FanOutSleep|jox|-wi 30 -i 20"
  "FirstWins|structuredTaskScope|-wi 60 -i 40"
  "FirstWins|jox|-wi 60 -i 40"
  "FirstWins|loomresultRace|-wi 60 -i 40"
  "FailurePropagation|structuredTaskScope|-wi 40 -i 30"
  "FailurePropagation|jox|-wi 40 -i 30"
)

# workload-class-suffix | method | JMH options
CASES=(
  "SpawnGather|raw|-wi 2 -w 1 -i 4 -r 1"
  "SpawnGather|loomresult|-wi 2 -w 1 -i 4 -r 1"
  "SpawnGather|loomresultGather|-wi 2 -w 1 -i 4 -r 1"
  "FanOutSleep|raw|-wi 30 -i 20"
  "FanOutSleep|loomresult|-wi 30 -i 20"
  "FirstWins|raw|-wi 60 -i 40"
  "FirstWins|loomresult|-wi 60 -i 40"
  "FailurePropagation|raw|-wi 40 -i 30"
  "FailurePropagation|loomresult|-wi 40 -i 30"
  "Limits|rawSemaphore|-wi 2 -w 1 -i 3 -r 1"
  "Limits|loomresult|-wi 2 -w 1 -i 3 -r 1"
  "Processor|withoutProcessor|-wi 4 -i 4"
  "Processor|withProcessor|-wi 4 -i 4"
)

foreign() {
  pgrep -af java | grep -v -e '\.jar ' -e ForkedMain -e "<defunct>" -e "blackhole,some/fake" | grep -q .
}
watch_foreign() { while true; do foreign && touch "$OUT/.disturbed"; sleep 1; done; }
watch_foreign &
WATCHER=$!
trap 'kill $WATCHER' EXIT

fork() { # name case round
  local name=$1 cls=${2%%|*} rest=${2#*|}
  [[ $cls =~ ^($ONLY)$ || $ONLY == . ]] || return 0
  local m=${rest%%|*} opts=${rest#*|} r=$3
  mkdir -p "$OUT/$name"
  for attempt in 1 2 3 4 5; do
    while foreign; do sleep 5; done
    rm -f "$OUT/.disturbed"
    # shellcheck disable=SC2086
    "$JAVA" --enable-preview -jar "${JARS[$name]}" ".*$cls\.$m\$" -f 1 -prof gc -prof io.github.loomresult.benchmarks.ProbeProfiler $opts \
      -rf json -rff "$OUT/$name/$cls.$m.r$r.json" >"$OUT/$name/$cls.$m.r$r.log" 2>&1 \
      || echo "FAILED: $name $cls.$m round $r"
    [ -e "$OUT/.disturbed" ] || return 0
    echo "disturbed: $name $cls.$m round $r, attempt $attempt; again"
  done
}

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: $(date +%T)"
  for c in "${CASES[@]}"; do
    k=$(( (r - 1) % ${#NAMES[@]} ))
    for i in "${!NAMES[@]}"; do
      fork "${NAMES[$(( (i + k) % ${#NAMES[@]} ))]}" "$c" "$r"
    done
  done
  if [ -z "${NO_PEERS:-}" ]; then
    for c in "${PEERS[@]}"; do fork "${NAMES[-1]}" "$c" "$r"; done
  fi
done
echo "done: $(date +%T)"
