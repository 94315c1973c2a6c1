#!/usr/bin/env bash
# Codec micro-benchmarks: Sluice's codecs beside Netty's on the same bytes (JMH). See benchmarks/README.md.
#
#   benchmarks/jmh/run.sh [--no-build] [--java PATH] [--cpu N | --no-pin] [--no-gc] [--out FILE.json]
#                         [JMH options and benchmark regexps...]
#
# Builds benchmarks/jmh with -Pbenchmarks, runs the JMH uber-jar pinned to one CPU (taskset, when
# present) with -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc unless the same JMH options are given, writes the
# JSON to benchmarks/results/jmh-<timestamp>.json and its Markdown summary (summarize.py) beside it.
# Examples: run.sh Utf8  |  run.sh -f 1 -wi 1 -w 200ms -i 1 -r 200ms  |  run.sh -p frame=text-125 WebSocket
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$HERE/target/sluice-jmh.jar"

BUILD=1
JAVA_BIN=""
CPU=0
PIN=1
GC=1
OUT=""
JMH_ARGS=()

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --java) JAVA_BIN="$2"; shift ;;
    --cpu) CPU="$2"; shift ;;
    --no-pin) PIN=0 ;;
    --no-gc) GC=0 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) usage 0 ;;
    *) JMH_ARGS+=("$1") ;;
  esac
  shift
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The same JVM as benchmarks/run.sh uses for the servers: Temurin 25 when present, else java on the PATH.
if [ -z "$JAVA_BIN" ]; then
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    JAVA_BIN=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    JAVA_BIN="$(command -v java)"
  fi
fi

if [ "$BUILD" -eq 1 ]; then
  log "building benchmarks/jmh"
  # MVN may name another Maven (e.g. MVN="mvn -o" to build offline).
  (cd "$ROOT" && ${MVN:-./mvnw} -q -B -ntp -Pbenchmarks -pl benchmarks/jmh -am package -DskipTests)
fi
[ -f "$JAR" ] || { echo "$JAR missing: build first (drop --no-build)" >&2; exit 1; }

# Defaults for the options the caller did not give (JMH refuses an option given twice).
given() {
  local option="$1" arg
  for arg in ${JMH_ARGS[@]+"${JMH_ARGS[@]}"}; do [ "$arg" = "$option" ] && return 0; done
  return 1
}
DEFAULTS=()
for pair in "-f 1" "-wi 3" "-w 2s" "-i 5" "-r 2s"; do
  given "${pair%% *}" || DEFAULTS+=(${pair})
done
if [ "$GC" -eq 1 ] && ! given -prof; then DEFAULTS+=(-prof gc); fi

if [ -z "$OUT" ]; then
  mkdir -p "$ROOT/benchmarks/results"
  OUT="$ROOT/benchmarks/results/jmh-$(date +%Y%m%d-%H%M%S).json"
fi
SUMMARY="${OUT%.json}.md"

PIN_CMD=()
if [ "$PIN" -eq 1 ]; then
  if command -v taskset >/dev/null 2>&1; then
    # The forked benchmark JVMs inherit the affinity.
    PIN_CMD=(taskset -c "$CPU")
  else
    log "taskset not found: running unpinned"
  fi
fi

CMD=(${PIN_CMD[@]+"${PIN_CMD[@]}"} "$JAVA_BIN" -jar "$JAR" "${DEFAULTS[@]}" ${JMH_ARGS[@]+"${JMH_ARGS[@]}"}
     -rf json -rff "$OUT")
log "${CMD[*]}"
"${CMD[@]}"

/usr/bin/python3 "$HERE/summarize.py" "$OUT" > "$SUMMARY"
log "results: $OUT"
log "summary: $SUMMARY"
cat "$SUMMARY"
