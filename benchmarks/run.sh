#!/usr/bin/env bash
# Sluice benchmark runner. See benchmarks/README.md.
#
#   benchmarks/run.sh [--quick] [--rounds N] [--duration S] [--servers a,b] [--scenarios x,y]
#                     [--warmup-run S] [--warmup-max N] [--warmup-jit PCT]
#                     [--out DIR] [--no-build] [--java PATH] [--server-cpu C] [--client-cpu C]
#
# For every round, scenario and server (servers interleaved: A B C, then C B A, ...): start the server
# pinned to one core, check its answers, warm it up until its throughput stops climbing and its JIT
# compilers are idle, measure with wrk pinned to another core, and read the server's CPU time from
# /proc/<pid>/stat around the measurement. Writes results.csv (every run) and results.md (medians per
# scenario, ratio to netty-nio in the same round) to the output directory.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ORIGINAL_ARGS="$*"
ROOT="$(cd "$HERE/.." && pwd)"

ALL_SERVERS="netty-nio,netty-epoll,sluice-loop,sluice-worker,jetty,undertow,jdk,webflux-netty,mvc-tomcat"
ALL_SCENARIOS="plaintext-64,plaintext-256,pipeline-16,json-64,echo-4k,ws-echo-64"

ROUNDS=5
DURATION=15          # seconds per measured wrk run
WARMUP_RUN=3         # seconds per warm-up wrk run
WARMUP_MAX=20        # at most this many warm-up runs
WARMUP_MIN=2         # at least this many
WARMUP_GAIN=3        # stop warming when a run gains less than this many percent over the previous one...
WARMUP_JIT=5         # ...and the JIT compilers were busy (running or runnable) less than this % of it
SERVERS="$ALL_SERVERS"
SCENARIOS="$ALL_SCENARIOS"
OUT=""
BUILD=1
JAVA_BIN=""
SERVER_CPU=0
CLIENT_CPU=1
PORT=18080
QUICK=0

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ROUNDS=1; DURATION=3; WARMUP_RUN=2; WARMUP_MAX=3; WARMUP_MIN=1 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warmup-run) WARMUP_RUN="$2"; shift ;;
    --warmup-max) WARMUP_MAX="$2"; shift ;;
    --warmup-jit) WARMUP_JIT="$2"; shift ;;
    --servers) SERVERS="$2"; shift ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --java) JAVA_BIN="$2"; shift ;;
    --server-cpu) SERVER_CPU="$2"; shift ;;
    --client-cpu) CLIENT_CPU="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
  shift
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------------------------- setup
if [ -z "$JAVA_BIN" ]; then
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    JAVA_BIN=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    JAVA_BIN="$(command -v java)"
  fi
fi
# The same JVM options for every server (override with JAVA_OPTS).
JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"

need_apt() {
  if ! command -v "$1" >/dev/null 2>&1; then
    log "installing $2 with apt-get"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq "$2" >/dev/null; fi
  fi
}
need_apt wrk wrk
need_apt taskset util-linux
need_apt curl curl
need_apt python3 python3-minimal

if [ "$BUILD" -eq 1 ]; then
  PROJECTS="benchmarks"
  case ",$SERVERS," in *,webflux-netty,*) [ -d "$HERE/webflux-netty" ] && PROJECTS="$PROJECTS,benchmarks/webflux-netty" ;; esac
  case ",$SERVERS," in *,mvc-tomcat,*) [ -d "$HERE/mvc-tomcat" ] && PROJECTS="$PROJECTS,benchmarks/mvc-tomcat" ;; esac
  log "building $PROJECTS"
  (cd "$ROOT" && ./mvnw -q -B -ntp -Pbenchmarks -pl "$PROJECTS" -am package -DskipTests)
fi

CP="$HERE/target/sluice-benchmarks.jar:$HERE/target/lib/*"
[ -f "$HERE/target/sluice-benchmarks.jar" ] || { echo "benchmarks/target/sluice-benchmarks.jar missing: build first" >&2; exit 1; }

# benchmarks/results/tmp/ is git-ignored scratch; copy a run worth keeping next to it.
if [ -z "$OUT" ]; then OUT="$HERE/results/tmp/$(date +%Y%m%d-%H%M%S)$([ "$QUICK" -eq 1 ] && echo -quick)"; fi
mkdir -p "$OUT/logs"
CSV="$OUT/results.csv"
echo "round,scenario,server,position,connections,pipeline,duration_s,requests,rps,p50_ms,p99_ms,socket_errors,non2xx,server_cpu_s,rps_per_cpu_s,warmup_runs,warmup_last_rps,valid,load1,jit_busy_pct,note" > "$CSV"
CLK_TCK="$(getconf CLK_TCK)"

# ------------------------------------------------------------------------------------------- servers
# Prints the command that runs server $1 on port $2, or nothing if it is not available.
server_cmd() {
  local id="$1" port="$2"
  case "$id" in
    sluice-loop)   echo "$JAVA_BIN $JAVA_OPTS -cp $CP io.sluice.bench.SluiceBenchServer $port loop" ;;
    sluice-worker) echo "$JAVA_BIN $JAVA_OPTS -cp $CP io.sluice.bench.SluiceBenchServer $port worker" ;;
    netty-nio)     echo "$JAVA_BIN $JAVA_OPTS -cp $CP io.sluice.bench.netty.NettyNioServer $port" ;;
    netty-epoll)   echo "$JAVA_BIN $JAVA_OPTS -cp $CP io.sluice.bench.netty.NettyEpollServer $port" ;;
    jetty)         echo "$JAVA_BIN $JAVA_OPTS -cp $CP io.sluice.bench.jetty.JettyBenchServer $port" ;;
    undertow)      echo "$JAVA_BIN $JAVA_OPTS -cp $CP io.sluice.bench.undertow.UndertowBenchServer $port" ;;
    jdk)           echo "$JAVA_BIN $JAVA_OPTS -cp $CP io.sluice.bench.jdk.JdkBenchServer $port" ;;
    webflux-netty|mvc-tomcat)
      local jar
      jar="$(ls "$HERE/$id"/target/sluice-bench-"$id".jar 2>/dev/null || true)"
      [ -n "$jar" ] && echo "$JAVA_BIN $JAVA_OPTS -jar $jar $port" ;;
    *) ;;
  esac
}

# Which scenarios a server can serve (the JDK HttpServer has no WebSocket).
supports() {
  local id="$1" scenario="$2"
  case "$scenario" in
    ws-*) case "$id" in jdk) return 1 ;; esac ;;
  esac
  return 0
}

SERVER_PID=""
start_server() {
  local id="$1" logfile="$2" cmd
  cmd="$(server_cmd "$id" "$PORT")"
  [ -n "$cmd" ] || return 1
  # taskset execs java, so $! is the JVM's pid (the one whose /proc/<pid>/stat we read).
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" $cmd >"$logfile" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 300); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/plaintext"; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  # Wait until the port is free again.
  for i in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" || break
    sleep 0.1
  done
}
trap 'stop_server' EXIT

# Checks that the server answers the benchmark endpoints correctly.
verify_server() {
  local body
  body="$(curl -s --max-time 5 "http://127.0.0.1:$PORT/plaintext")" || return 1
  [ "$body" = "Hello, World!" ] || { echo "plaintext answered: $body"; return 1; }
  body="$(curl -s --max-time 5 "http://127.0.0.1:$PORT/json")" || return 1
  [ "$body" = '{"message":"Hello, World!"}' ] || { echo "json answered: $body"; return 1; }
  local payload
  payload="$(head -c 3072 /dev/urandom | base64 -w0)"
  body="$(curl -s --max-time 5 -H 'Content-Type: application/octet-stream' --data-binary "$payload" "http://127.0.0.1:$PORT/echo")" || return 1
  [ "$body" = "$payload" ] || { echo "echo answered ${#body} bytes, not the ${#payload} sent"; return 1; }
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Nanoseconds the JVM's JIT compiler threads (C1/C2) spent running or waiting to run, from
# /proc/<pid>/task/<tid>/schedstat. A server whose compilers still have work is not warm, whatever its
# throughput says. Waiting time counts too: on one pinned core the compilers share the CPU with the
# server's own threads, and with Tomcat's 200 they get so little of it that their CPU time alone would
# look idle while the code still runs interpreted.
jit_busy_ns() {
  local sum=0 task comm
  for task in /proc/"$1"/task/*; do
    comm="$(cat "$task/comm" 2>/dev/null)" || continue
    case "$comm" in
      "C1 CompilerThre"*|"C2 CompilerThre"*)
        sum=$(awk -v s="$sum" '{ printf "%.0f", s + $1 + $2 }' "$task/schedstat" 2>/dev/null || echo "$sum") ;;
    esac
  done
  echo "$sum"
}

# How busy the compilers were over $2 seconds, in percent, from two jit_busy_ns readings ($1 = difference).
jit_percent() { awk -v ns="$1" -v s="$2" 'BEGIN { printf "%.0f", 100 * ns / (s * 1e9) }'; }

# ----------------------------------------------------------------------------------------- scenarios
# scenario -> "kind connections pipeline path/args"
scenario_def() {
  case "$1" in
    plaintext-64)  echo "wrk 64 1 /plaintext" ;;
    plaintext-256) echo "wrk 256 1 /plaintext" ;;
    pipeline-16)   echo "wrk 256 16 /plaintext" ;;
    json-64)       echo "wrk 64 1 /json" ;;
    echo-4k)       echo "wrk 64 1 /echo" ;;
    ws-echo-64)    echo "ws 64 1 /ws/echo" ;;
    # TODO(java-client scenarios, see README "Not yet automated"):
    #   idle-10k   10,000 mostly idle keep-alive connections: RSS and heap per connection
    #   ws-broadcast-1k  one message fanned out to 1,000 sessions
    #   startup    time to first response and RSS after start
    *) echo "" ;;
  esac
}

# Runs one load run of $2 seconds for scenario $1; prints "requests rps p50_ms p99_ms socket_errors non2xx".
load_run() {
  local scenario="$1" seconds="$2" raw="$3" def kind conns depth path
  def="$(scenario_def "$scenario")"
  read -r kind conns depth path <<<"$def"
  if [ "$kind" = wrk ]; then
    local script=()
    case "$scenario" in
      pipeline-*) script=(-s "$HERE/wrk/pipeline.lua") ;;
      echo-*) script=(-s "$HERE/wrk/post.lua") ;;
    esac
    local extra=()
    case "$scenario" in
      pipeline-*) extra=(-- "$depth") ;;
      echo-4k) extra=(-- 4096) ;;
    esac
    taskset -c "$CLIENT_CPU" wrk -t1 -c"$conns" -d"${seconds}s" --timeout 5s --latency "${script[@]}" \
      "http://127.0.0.1:$PORT$path" "${extra[@]}" >"$raw" 2>&1 || true
    parse_wrk "$raw"
  else
    # WebSocket echo: the Java NIO load client in this module (one thread, pinned like wrk).
    taskset -c "$CLIENT_CPU" "$JAVA_BIN" -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$CP" \
      io.sluice.bench.client.WebSocketEchoLoad "127.0.0.1" "$PORT" "$path" "$conns" "$seconds" 32 >"$raw" 2>&1 || true
    awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                     print v["messages"], v["rate"], v["p50_ms"], v["p99_ms"], v["errors"], 0; found = 1 }
         END { if (!found) print "0 0 0 0 1 0" }' "$raw"
  fi
}

parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
      if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
      if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000 }
      return v + 0
    }
    /requests in/ { req = $1 }
    /^Requests\/sec:/ { rps = $2 }
    # wrk reports a percentile it could not resolve (it happens under pipelining) as 0.00us: NA.
    /^ +50%/ { p50 = ($2 == "0.00us") ? "NA" : sprintf("%.3f", ms($2)) }
    /^ +99%/ { p99 = ($2 == "0.00us") ? "NA" : sprintf("%.3f", ms($2)) }
    /Socket errors:/ { gsub(/,/, ""); errs = $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    END { printf "%d %.2f %s %s %d %d\n", req, rps, (p50 == "" ? "NA" : p50), (p99 == "" ? "NA" : p99), errs + 0, non2xx + 0 }
  ' "$1"
}

# ---------------------------------------------------------------------------------------------- main
IFS=',' read -r -a SERVER_LIST <<<"$SERVERS"
IFS=',' read -r -a SCENARIO_LIST <<<"$SCENARIOS"

AVAILABLE=()
for s in "${SERVER_LIST[@]}"; do
  if [ -n "$(server_cmd "$s" "$PORT")" ]; then AVAILABLE+=("$s"); else log "skipping $s: not built"; fi
done

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "command: $0 $ORIGINAL_ARGS"
  echo "machine: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "java: $("$JAVA_BIN" -version 2>&1 | head -1)"
  echo "java options: $JAVA_OPTS"
  echo "wrk: $(wrk --version 2>&1 | head -1 || true)"
  echo "server cpu: $SERVER_CPU, client cpu: $CLIENT_CPU, rounds: $ROUNDS, duration: ${DURATION}s, warm-up: ${WARMUP_RUN}s runs, min $WARMUP_MIN, max $WARMUP_MAX, stop below ${WARMUP_GAIN}% gain with the JIT compilers busy below ${WARMUP_JIT}% of the run"
  echo "servers: ${AVAILABLE[*]}"
  echo "scenarios: ${SCENARIO_LIST[*]}"
} > "$OUT/environment.txt"
cat "$OUT/environment.txt" >&2

for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIO_LIST[@]}"; do
    def="$(scenario_def "$scenario")"
    if [ -z "$def" ]; then log "unknown scenario $scenario (see the TODO in scenario_def)"; continue; fi
    read -r kind conns depth _path <<<"$def"
    # Interleave: odd rounds in the given order, even rounds reversed.
    order=("${AVAILABLE[@]}")
    if [ $((round % 2)) -eq 0 ]; then
      order=(); for ((i = ${#AVAILABLE[@]} - 1; i >= 0; i--)); do order+=("${AVAILABLE[$i]}"); done
    fi
    position=0
    for server in "${order[@]}"; do
      supports "$server" "$scenario" || continue
      position=$((position + 1))
      tag="r${round}-${scenario}-${server}"
      log "round $round/$ROUNDS $scenario $server"
      if ! start_server "$server" "$OUT/logs/$tag.server.log"; then
        log "  $server did not start (see logs/$tag.server.log)"
        echo "$round,$scenario,$server,$position,$conns,$depth,$DURATION,0,0,0,0,0,0,0,0,0,0,false,,,did not start" >> "$CSV"
        stop_server; continue
      fi
      if ! note="$(verify_server)"; then
        log "  $server answered wrongly: $note"
        echo "$round,$scenario,$server,$position,$conns,$depth,$DURATION,0,0,0,0,0,0,0,0,0,0,false,,,wrong answer" >> "$CSV"
        stop_server; continue
      fi
      # Warm up until a run gains less than WARMUP_GAIN % over the previous one while the JIT
      # compilers are (nearly) idle: a server still compiling can look flat for a run or two.
      prev=0; runs=0; last=0; jit=0
      while [ "$runs" -lt "$WARMUP_MAX" ]; do
        runs=$((runs + 1))
        jit0="$(jit_busy_ns "$SERVER_PID")"
        read -r _req last _p50 _p99 _err _n2 < <(load_run "$scenario" "$WARMUP_RUN" "$OUT/logs/$tag.warmup$runs.txt")
        jit="$(jit_percent $(($(jit_busy_ns "$SERVER_PID") - jit0)) "$WARMUP_RUN")"
        if [ "$runs" -ge "$WARMUP_MIN" ] && [ "$jit" -lt "$WARMUP_JIT" ] \
            && awk -v a="$last" -v b="$prev" -v g="$WARMUP_GAIN" 'BEGIN { exit !(b > 0 && a < b * (1 + g / 100)) }'; then
          break
        fi
        prev="$last"
      done
      log "  warmed up in $runs runs (last ${last} /s, JIT compilers busy ${jit}% of the last run)"
      # The 1-minute load average when the measurement starts: on a shared machine, a high value
      # (above the 2 pinned processes) says other work competed with this run.
      load1="$(cut -d' ' -f1 /proc/loadavg)"
      cpu0="$(cpu_ticks "$SERVER_PID")"; jit0="$(jit_busy_ns "$SERVER_PID")"
      read -r req rps p50 p99 errs non2xx < <(load_run "$scenario" "$DURATION" "$OUT/logs/$tag.txt")
      cpu1="$(cpu_ticks "$SERVER_PID")"
      jit_pct="$(jit_percent $(($(jit_busy_ns "$SERVER_PID") - jit0)) "$DURATION")"
      cpu_s="$(awk -v a="$cpu0" -v b="$cpu1" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t }')"
      per_cpu="$(awk -v r="$req" -v c="$cpu_s" 'BEGIN { if (c > 0) printf "%.0f", r / c; else print 0 }')"
      valid=true; note=""
      if [ "$errs" -gt 0 ] || [ "$non2xx" -gt 0 ] || [ "$req" -eq 0 ]; then valid=false; note="errors=$errs non2xx=$non2xx"; fi
      # Still compiling when measured (warm-up cut off by --warmup-max): a result, but not steady state.
      if [ "$jit_pct" -ge "$WARMUP_JIT" ]; then note="${note:+$note }JIT busy ${jit_pct}%"; fi
      log "  $rps /s  p50 ${p50} ms  p99 ${p99} ms  cpu ${cpu_s}s (JIT busy ${jit_pct}%)  ${per_cpu} req/cpu-s  ${note}"
      echo "$round,$scenario,$server,$position,$conns,$depth,$DURATION,$req,$rps,$p50,$p99,$errs,$non2xx,$cpu_s,$per_cpu,$runs,$last,$valid,$load1,$jit_pct,$note" >> "$CSV"
      stop_server
    done
  done
done

python3 "$HERE/summarize.py" "$CSV" "$OUT/environment.txt" > "$OUT/results.md"
# Charts: Debian's matplotlib belongs to the system python, which may not be the python3 on PATH.
if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  log "installing python3-matplotlib with apt-get"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq python3-matplotlib >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq python3-matplotlib >/dev/null; fi
fi
/usr/bin/python3 "$HERE/plot.py" "$CSV" "$OUT" && log "wrote charts (*.png) to $OUT"
log "wrote $CSV and $OUT/results.md"
cat "$OUT/results.md"
