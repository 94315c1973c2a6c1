#!/usr/bin/env bash
# Sluice benchmark runner. See benchmarks/README.md.
#
#   benchmarks/run.sh [--quick] [--rounds N] [--duration S] [--servers a,b] [--scenarios x,y]
#                     [--warmup-run S] [--warmup-max N] [--warmup-jit PCT]
#                     [--out DIR] [--no-build] [--java PATH] [--server-cpu C] [--client-cpu C]
#                     [--idle-interval S]
#
# For every round, scenario and server (servers interleaved: A B C, then C B A, ...): start the server
# pinned to one core, check its answers, warm it up until its throughput stops climbing and its JIT
# compilers are idle, measure with wrk (or a Java load client) pinned to another core, and read the
# server's CPU time from /proc/<pid>/stat around the measurement. idle-10k measures memory per idle
# connection instead, and startup the time to the first response. Writes results.csv (every run) and
# results.md (medians per scenario, ratio to netty-nio in the same round) to the output directory.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ORIGINAL_ARGS="$*"
ROOT="$(cd "$HERE/.." && pwd)"

ALL_SERVERS="netty-nio,netty-epoll,sluice-loop,sluice-worker,sluice-starter,sluice-starter-worker,jetty,undertow,jdk,webflux-netty,webflux-sluice,mvc-tomcat"
ALL_SCENARIOS="plaintext-64,plaintext-256,pipeline-16,json-64,echo-4k,ws-echo-64,ws-broadcast-1k,idle-10k,startup"

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
IDLE_INTERVAL=0      # idle-10k: seconds between the extra requests of each held connection (0: none)
# idle-10k: the peers' keep-alive idle timeouts and connection caps, raised above the scenario's needs
# (see Payloads.idleTimeoutSeconds/maxConnections), and a pre-touched heap, so that RSS does not grow
# merely because the young generation's pages get touched for the first time.
IDLE_SERVER_OPTS="-XX:+AlwaysPreTouch -Dbench.idleTimeout=600 -Dbench.maxConnections=20000"
IDLE_SETTLE=5        # idle-*: seconds between the warm-up's close and the baseline
STARTUP_TIMEOUT=120  # startup: seconds a server may take to answer its first request

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

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
    --idle-interval) IDLE_INTERVAL="$2"; shift ;;
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

# idle-10k holds 10,000 connections in the server and as many in the client: raise the soft limit on
# open files to the hard one (a shell may raise its own soft limit up to the hard limit).
if [ "$(ulimit -Sn)" != unlimited ] && { [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Sn)" -lt "$(ulimit -Hn)" ]; }; then
  ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || log "could not raise ulimit -n from $(ulimit -Sn) to $(ulimit -Hn)"
fi
# jcmd of the same JDK as the servers, for idle-10k's heap measurement.
JCMD="$(dirname "$(readlink -f "$JAVA_BIN")")/jcmd"
[ -x "$JCMD" ] || JCMD="$(command -v jcmd || true)"

if [ "$BUILD" -eq 1 ]; then
  PROJECTS="benchmarks"
  case ",$SERVERS," in *,webflux-netty,*) [ -d "$HERE/webflux-netty" ] && PROJECTS="$PROJECTS,benchmarks/webflux-netty" ;; esac
  case ",$SERVERS," in *,webflux-sluice,*) [ -d "$HERE/webflux-sluice" ] && PROJECTS="$PROJECTS,benchmarks/webflux-sluice" ;; esac
  case ",$SERVERS," in *,mvc-tomcat,*) [ -d "$HERE/mvc-tomcat" ] && PROJECTS="$PROJECTS,benchmarks/mvc-tomcat" ;; esac
  case ",$SERVERS," in *,sluice-starter*) PROJECTS="$PROJECTS,benchmarks/sluice-starter" ;; esac
  log "building $PROJECTS"
  (cd "$ROOT" && ./mvnw -q -B -ntp -Pbenchmarks -pl "$PROJECTS" -am package -DskipTests)
fi

CP="$HERE/target/sluice-benchmarks.jar:$HERE/target/lib/*"
[ -f "$HERE/target/sluice-benchmarks.jar" ] || { echo "benchmarks/target/sluice-benchmarks.jar missing: build first" >&2; exit 1; }

# benchmarks/results/tmp/ is git-ignored scratch; copy a run worth keeping next to it.
if [ -z "$OUT" ]; then OUT="$HERE/results/tmp/$(date +%Y%m%d-%H%M%S)$([ "$QUICK" -eq 1 ] && echo -quick)"; fi
mkdir -p "$OUT/logs"
CSV="$OUT/results.csv"
# The columns up to jit_busy_pct apply to every scenario (jit_busy_pct empty where nothing was measured);
# fanout_per_s to ws-broadcast-*; startup_ms and rss_kb to startup; rss_kb to heap_per_conn_bytes to
# idle-* (see benchmarks/README.md).
echo "round,scenario,server,position,connections,pipeline,duration_s,requests,rps,p50_ms,p99_ms,socket_errors,non2xx,server_cpu_s,rps_per_cpu_s,warmup_runs,warmup_last_rps,valid,load1,jit_busy_pct,fanout_per_s,startup_ms,rss_kb,rss_before_kb,heap_kb,heap_before_kb,rss_per_conn_bytes,heap_per_conn_bytes,note" > "$CSV"
CLK_TCK="$(getconf CLK_TCK)"

# Appends one row: $1 the common columns (round to load1), $2 jit_busy_pct (empty if not measured), $3
# the scenario-specific ones (fanout_per_s to heap_per_conn_bytes; empty when none apply), $4 the note.
csv_row() {
  echo "$1,$2,${3:-,,,,,,,},$4" >> "$CSV"
}

# ------------------------------------------------------------------------------------------- servers
# Prints the command that runs server $1 on port $2, or nothing if it is not available. SCENARIO_OPTS
# (JVM options a scenario needs, same for every server) follow JAVA_OPTS.
SCENARIO_OPTS=""
server_cmd() {
  local id="$1" port="$2" java="$JAVA_BIN $JAVA_OPTS $SCENARIO_OPTS"
  # Netty 4.2 turns sun.misc.Unsafe off by default on Java 24+; its peers get it back, as a tuned
  # Netty deployment would have it.
  local netty_unsafe="-Dio.netty.noUnsafe=false"
  "$JAVA_BIN" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1 \
    && netty_unsafe="$netty_unsafe --sun-misc-unsafe-memory-access=allow"
  case "$id" in
    sluice-loop)   echo "$java -cp $CP io.sluice.bench.SluiceBenchServer $port loop" ;;
    sluice-worker) echo "$java -cp $CP io.sluice.bench.SluiceBenchServer $port worker" ;;
    netty-nio)     echo "$java $netty_unsafe -cp $CP io.sluice.bench.netty.NettyNioServer $port" ;;
    netty-epoll)   echo "$java $netty_unsafe -cp $CP io.sluice.bench.netty.NettyEpollServer $port" ;;
    jetty)         echo "$java -cp $CP io.sluice.bench.jetty.JettyBenchServer $port" ;;
    undertow)      echo "$java -cp $CP io.sluice.bench.undertow.UndertowBenchServer $port" ;;
    jdk)           echo "$java -cp $CP io.sluice.bench.jdk.JdkBenchServer $port" ;;
    webflux-netty|webflux-sluice|mvc-tomcat)
      local jar
      jar="$(ls "$HERE/$id"/target/sluice-bench-"$id".jar 2>/dev/null || true)"
      [ "$id" = webflux-netty ] && java="$java $netty_unsafe"
      [ -n "$jar" ] && echo "$java -jar $jar $port" ;;
    sluice-starter|sluice-starter-worker)
      local jar="$HERE/sluice-starter/target/sluice-bench-sluice-starter.jar"
      [ -f "$jar" ] && echo "$java -jar $jar $port $([ "$id" = sluice-starter ] && echo loop || echo worker)" ;;
    *) ;;
  esac
}

# Which scenarios a server can serve (the JDK HttpServer has no WebSocket; every other peer serves
# /ws/echo and /ws/broadcast).
supports() {
  local id="$1" scenario="$2"
  case "$scenario" in
    ws-*) case "$id" in jdk) return 1 ;; esac ;;
  esac
  # The starter's row measures annotated endpoints against the raw engine: it has no broadcast endpoint.
  case "$scenario" in
    ws-broadcast-*) case "$id" in sluice-starter*) return 1 ;; esac ;;
  esac
  return 0
}

SERVER_PID=""
PROBE_PID=""    # startup: the probe that launched the server and reaps it
CLIENT_PID=""   # idle-*: the client holding the connections
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
  [ -n "$SERVER_PID" ] || [ -n "$PROBE_PID" ] || return 0
  local i
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true   # not our child when a probe launched it: the probe reaps it
    SERVER_PID=""
  fi
  if [ -n "$PROBE_PID" ]; then
    # Exits by itself once its server has; if the server's pid never became known, stopping the probe stops it.
    kill "$PROBE_PID" 2>/dev/null || true
    wait "$PROBE_PID" 2>/dev/null || true
    PROBE_PID=""
  fi
  # Wait until the port is free again.
  for i in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" || break
    sleep 0.1
  done
}
stop_client() {
  [ -n "$CLIENT_PID" ] || return 0
  kill "$CLIENT_PID" 2>/dev/null || true
  wait "$CLIENT_PID" 2>/dev/null || true
  CLIENT_PID=""
}
trap 'stop_client; stop_server' EXIT

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
# scenario -> "kind connections pipeline path/args". Kinds: wrk, ws (WebSocket echo), wsb (WebSocket
# broadcast; "pipeline" is the publisher's window of outstanding messages) are throughput runs with
# warm-up; idle (memory per held connection) and startup have their own paths below.
scenario_def() {
  case "$1" in
    plaintext-64)    echo "wrk 64 1 /plaintext" ;;
    plaintext-256)   echo "wrk 256 1 /plaintext" ;;
    pipeline-16)     echo "wrk 256 16 /plaintext" ;;
    json-64)         echo "wrk 64 1 /json" ;;
    echo-4k)         echo "wrk 64 1 /echo" ;;
    ws-echo-64)      echo "ws 64 1 /ws/echo" ;;
    ws-broadcast-1k) echo "wsb 1000 4 /ws/broadcast" ;;
    idle-10k)        echo "idle 10000 1 /plaintext" ;;
    startup)         echo "startup 1 1 /plaintext" ;;
    *) echo "" ;;
  esac
}

# The Java load clients: one thread, pinned like wrk.
client_java() {
  taskset -c "$CLIENT_CPU" "$JAVA_BIN" -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$CP" "$@"
}

# Runs one load run of $2 seconds for scenario $1; prints "requests rps p50_ms p99_ms socket_errors non2xx",
# and for a broadcast also fan-outs per second. For a broadcast, "requests" are deliveries and the
# latencies are fan-out latencies (send to last delivery).
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
  elif [ "$kind" = ws ]; then
    client_java io.sluice.bench.client.WebSocketEchoLoad "127.0.0.1" "$PORT" "$path" "$conns" "$seconds" 32 >"$raw" 2>&1 || true
    awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                     print v["messages"], v["rate"], v["p50_ms"], v["p99_ms"], v["errors"], 0; found = 1 }
         END { if (!found) print "0 0 0 0 1 0" }' "$raw"
  else
    client_java io.sluice.bench.client.WebSocketBroadcastLoad "127.0.0.1" "$PORT" "$path" "$conns" "$seconds" "$depth" 32 \
      >"$raw" 2>&1 || true
    awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                     print v["deliveries"], v["rate"], v["p50_ms"], v["p99_ms"], v["errors"], 0, v["fanout_rate"]; found = 1 }
         END { if (!found) print "0 0 0 0 1 0 0" }' "$raw"
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

# -------------------------------------------------------------------- memory and startup scenarios
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$1/status"; }
open_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# Prints "heap_kb rss_kb" of JVM $1: the KiB of live Java objects, from GC.class_histogram, which
# collects the whole heap first and counts what survived (GC.heap_info's "used" would also count the
# TLABs handed out right after the collection); then, after System.trim_native_heap has returned the
# malloc memory the JVM freed (JIT compiler arenas, mostly) to the OS, VmRSS in KiB.
measure_memory() {
  local pid="$1" commands="$OUT/logs/jcmd-commands.txt" heap
  printf 'GC.class_histogram\nSystem.trim_native_heap\n' > "$commands"
  heap="$(taskset -c "$CLIENT_CPU" "$JCMD" "$pid" -f "$commands" 2>&1 | awk '$1 == "Total" { printf "%d\n", $3 / 1024; found = 1 }
                                                                            END { if (!found) print 0 }')"
  echo "$heap $(rss_kb "$pid")"
}

# Waits up to $3 seconds (of wall time: a loaded machine slows every iteration) until file $1 has a
# line starting with $2, or process $4 (if given) has ended.
await_line() {
  local file="$1" prefix="$2" deadline=$((SECONDS + $3)) pid="${4:-}"
  while [ "$SECONDS" -lt "$deadline" ]; do
    grep -q "^$prefix" "$file" 2>/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  grep -q "^$prefix" "$file" 2>/dev/null
}

# The value of key $2 in the RESULT line of file $1 (default $3).
result_field() {
  awk -v key="$2" -v def="$3" '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] } }
                                END { print (v == "" ? def : v) }' "$1"
}

# idle-*: memory per idle keep-alive connection of the running server ($SERVER_PID). $1: common CSV
# columns up to pipeline, $2: connections, $3: log tag.
#  1. The client opens the connections, sends one GET /plaintext on each, and closes them: class loading,
#     JIT compilation and tables the server grows on first need are paid before the baseline.
#  2. After IDLE_SETTLE seconds, the baseline: live heap (after a full GC) and VmRSS (see measure_memory).
#  3. The client opens them again, one GET each, then holds them idle for --duration seconds (with
#     --idle-interval S, each also sends a request every S seconds).
#  4. Live heap and VmRSS again; the differences divided by the connections held are the results.
#  5. The client sends one more request on every connection: all must still answer.
measure_idle() {
  local common="$1" conns="$2" tag="$3" pid="$SERVER_PID" logs="$OUT/logs/$3" fds0 fds1 deadline
  local heap0 heap1 rss0 rss1 cpu0 cpu1 cpu_s requests errs open note="" valid=true hold_fd threads0 threads1 jit0 jit_pct=""
  if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt $((conns + 1000)) ]; then
    log "  ulimit -n is $(ulimit -Sn): too low for $conns connections"
    csv_row "$common,$DURATION,0,0,NA,NA,0,0,0,0,0,0,false," "" "" "ulimit -n $(ulimit -Sn) too low"
    return
  fi
  if [ ! -x "$JCMD" ]; then
    log "  no jcmd next to $JAVA_BIN"
    csv_row "$common,$DURATION,0,0,NA,NA,0,0,0,0,0,0,false," "" "" "no jcmd"
    return
  fi
  fds0="$(open_fds "$pid")"
  client_java io.sluice.bench.client.IdleConnectionsLoad 127.0.0.1 "$PORT" "$conns" cycle >"$logs.warmup.txt" 2>&1 || true
  [ "$(result_field "$logs.warmup.txt" errors 1)" -eq 0 ] || note="warm-up errors=$(result_field "$logs.warmup.txt" errors 1) "
  # The client reset its connections; wait until the server has closed its side of them, then give
  # the JIT compilations the warm-up triggered time to finish.
  deadline=$((SECONDS + 120))
  while [ "$SECONDS" -lt "$deadline" ] && [ "$(open_fds "$pid")" -gt $((fds0 + 16)) ]; do sleep 0.1; done
  [ "$(open_fds "$pid")" -le $((fds0 + 16)) ] || log "  the server still has $(($(open_fds "$pid") - fds0)) sockets of the warm-up"
  sleep "$IDLE_SETTLE"
  measure_memory "$pid" >/dev/null   # the first attach leaves objects of its own behind: not the baseline
  read -r heap0 rss0 < <(measure_memory "$pid")
  fds0="$(open_fds "$pid")"; threads0="$(threads "$pid")"

  rm -f "$logs.fifo"; mkfifo "$logs.fifo"
  exec {hold_fd}<>"$logs.fifo"   # read-write, so opening it does not block; a line on it ends the hold
  cpu0="$(cpu_ticks "$pid")"
  taskset -c "$CLIENT_CPU" "$JAVA_BIN" -Xms256m -Xmx256m -XX:+UseParallelGC -cp "$CP" io.sluice.bench.client.IdleConnectionsLoad \
    127.0.0.1 "$PORT" "$conns" hold "$IDLE_INTERVAL" <"$logs.fifo" >"$logs.txt" 2>&1 &
  CLIENT_PID=$!
  if await_line "$logs.txt" READY 300 "$CLIENT_PID"; then
    log "  $(grep '^READY' "$logs.txt"); holding ${DURATION}s"
    # Recorded, not waited for: compiling during the hold would mean the baseline missed some of it.
    jit0="$(jit_busy_ns "$pid")"
    sleep "$DURATION"
    jit_pct="$(jit_percent $(($(jit_busy_ns "$pid") - jit0)) "$DURATION")"
    fds1="$(open_fds "$pid")"
    read -r heap1 rss1 < <(measure_memory "$pid")
    threads1="$(threads "$pid")"
    cpu1="$(cpu_ticks "$pid")"
    echo release >&"$hold_fd"
  else
    fds1=0; heap1=0; rss1=0; threads1=0; cpu1="$cpu0"; note="${note}client never ready "
    kill "$CLIENT_PID" 2>/dev/null || true
  fi
  wait "$CLIENT_PID" 2>/dev/null || true
  CLIENT_PID=""
  exec {hold_fd}>&-
  rm -f "$logs.fifo"

  requests="$(result_field "$logs.txt" requests 0)"
  errs="$(result_field "$logs.txt" errors 1)"
  open="$(result_field "$logs.txt" open 0)"
  cpu_s="$(awk -v a="$cpu0" -v b="$cpu1" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t }')"
  # Every held connection is a socket of the server's: a server that closed some would show fewer (1 %
  # slack for sockets of the warm-up the server had not closed yet when the baseline was taken).
  if [ "$errs" -gt 0 ] || [ "$open" -ne "$conns" ] || [ $(((fds1 - fds0) * 100)) -lt $((conns * 99)) ] \
     || [ "$heap1" -eq 0 ] || [ -n "$note" ]; then
    valid=false; note="${note}errors=$errs open=$open server_sockets=+$((fds1 - fds0))"
  fi
  local per_rss per_heap
  per_rss="$(awk -v a="$rss0" -v b="$rss1" -v n="$conns" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')"
  per_heap="$(awk -v a="$heap0" -v b="$heap1" -v n="$conns" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')"
  log "  RSS ${rss0} -> ${rss1} KiB, live heap ${heap0} -> ${heap1} KiB: ${per_rss} B RSS and ${per_heap} B heap per connection; server sockets +$((fds1 - fds0)), threads ${threads0} -> ${threads1}${jit_pct:+, JIT busy ${jit_pct}% of the hold}  ${note}"
  csv_row "$common,$DURATION,$requests,0,NA,NA,$errs,0,$cpu_s,0,1,0,$valid,$(cut -d' ' -f1 /proc/loadavg)" "$jit_pct" \
    ",,$rss1,$rss0,$heap1,$heap0,$per_rss,$per_heap" "$note"
}

# startup: StartupProbe launches server $2 and times its first correct GET /plaintext; the probe stays
# the server's parent (and reaps it) until stop_server. $1: common CSV columns up to pipeline, $3: log tag.
measure_startup() {
  local common="$1" id="$2" tag="$3" out="$OUT/logs/$3.txt" cmd pid ms rss error valid=true note=""
  cmd="$(server_cmd "$id" "$PORT")"
  # shellcheck disable=SC2086
  taskset -c "$CLIENT_CPU" "$JAVA_BIN" -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" io.sluice.bench.client.StartupProbe \
    "$PORT" "$OUT/logs/$tag.server.log" "$STARTUP_TIMEOUT" taskset -c "$SERVER_CPU" $cmd >"$out" 2>&1 &
  PROBE_PID=$!
  await_line "$out" RESULT $((STARTUP_TIMEOUT + 30)) "$PROBE_PID" || true
  pid="$(result_field "$out" pid 0)"; ms="$(result_field "$out" startup_ms 0)"
  rss="$(result_field "$out" rss_kb 0)"; error="$(result_field "$out" error "")"
  [ "$pid" -gt 0 ] && SERVER_PID="$pid"
  if [ -n "$error" ] || [ "$pid" -eq 0 ]; then
    valid=false; note="${error:-no result}"
  elif ! note="$(verify_server)"; then
    valid=false
  fi
  log "  first response after ${ms} ms, RSS ${rss} KiB  ${note}"
  csv_row "$common,0,1,0,NA,NA,0,0,0,0,0,0,$valid,$(cut -d' ' -f1 /proc/loadavg)" "" ",$ms,$rss,,,,," "$note"
  stop_server
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
  echo "open files (ulimit -n): $(ulimit -Sn) (hard $(ulimit -Hn)); jcmd: ${JCMD:-none}"
  echo "idle-*: server options $IDLE_SERVER_OPTS, hold ${DURATION}s, request interval ${IDLE_INTERVAL}s (0: none)"
} > "$OUT/environment.txt"
cat "$OUT/environment.txt" >&2

for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIO_LIST[@]}"; do
    def="$(scenario_def "$scenario")"
    if [ -z "$def" ]; then log "unknown scenario $scenario (see scenario_def)"; continue; fi
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
      common="$round,$scenario,$server,$position,$conns,$depth"
      log "round $round/$ROUNDS $scenario $server"
      # Set before every kind, startup included: idle-10k's options (a pre-touched heap) must not leak
      # into a later scenario's servers.
      if [ "$kind" = idle ]; then SCENARIO_OPTS="$IDLE_SERVER_OPTS"; else SCENARIO_OPTS=""; fi
      if [ "$kind" = startup ]; then
        measure_startup "$common" "$server" "$tag"; continue
      fi
      if ! start_server "$server" "$OUT/logs/$tag.server.log"; then
        log "  $server did not start (see logs/$tag.server.log)"
        csv_row "$common,$DURATION,0,0,0,0,0,0,0,0,0,0,false," "" "" "did not start"
        stop_server; continue
      fi
      if ! note="$(verify_server)"; then
        log "  $server answered wrongly: $note"
        csv_row "$common,$DURATION,0,0,0,0,0,0,0,0,0,0,false," "" "" "wrong answer"
        stop_server; continue
      fi
      if [ "$kind" = idle ]; then
        measure_idle "$common" "$conns" "$tag"; stop_server; continue
      fi
      # Warm up until a run gains less than WARMUP_GAIN % over the previous one while the JIT
      # compilers are (nearly) idle: a server still compiling can look flat for a run or two.
      prev=0; runs=0; last=0; jit=0
      while [ "$runs" -lt "$WARMUP_MAX" ]; do
        runs=$((runs + 1))
        jit0="$(jit_busy_ns "$SERVER_PID")"
        read -r _req last _p50 _p99 _err _n2 _fan < <(load_run "$scenario" "$WARMUP_RUN" "$OUT/logs/$tag.warmup$runs.txt")
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
      read -r req rps p50 p99 errs non2xx fanout < <(load_run "$scenario" "$DURATION" "$OUT/logs/$tag.txt")
      cpu1="$(cpu_ticks "$SERVER_PID")"
      jit_pct="$(jit_percent $(($(jit_busy_ns "$SERVER_PID") - jit0)) "$DURATION")"
      cpu_s="$(awk -v a="$cpu0" -v b="$cpu1" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t }')"
      per_cpu="$(awk -v r="$req" -v c="$cpu_s" 'BEGIN { if (c > 0) printf "%.0f", r / c; else print 0 }')"
      valid=true; note=""
      if [ "$errs" -gt 0 ] || [ "$non2xx" -gt 0 ] || [ "$req" -eq 0 ]; then valid=false; note="errors=$errs non2xx=$non2xx"; fi
      # Still compiling when measured (warm-up cut off by --warmup-max): a result, but not steady state.
      if [ "$jit_pct" -ge "$WARMUP_JIT" ]; then note="${note:+$note }JIT busy ${jit_pct}%"; fi
      log "  $rps /s  p50 ${p50} ms  p99 ${p99} ms  cpu ${cpu_s}s (JIT busy ${jit_pct}%)  ${per_cpu} req/cpu-s${fanout:+  $fanout fan-outs/s}  ${note}"
      csv_row "$common,$DURATION,$req,$rps,$p50,$p99,$errs,$non2xx,$cpu_s,$per_cpu,$runs,$last,$valid,$load1" "$jit_pct" \
        "${fanout},,,,,,," "$note"
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
