#!/usr/bin/env bash
# The echo benchmark of issue 6 in one command: builds the baselines and sockit, starts every server on
# 127.0.0.1 port 0, runs the scenario table against each one with `sockit bench`, measures server CPU per message
# and RSS, checks the bench against a small C client, and prints Markdown tables with ratios to the C server.
#
#   bench/run.sh                       # the whole table, one round (about 3 minutes)
#   ROUNDS=3 bench/run.sh              # interleaved rounds; medians of per-round ratios
#   DURATION=5s WARMUP=2s bench/run.sh
#   SERVERS="c sockit-raw" SCENARIOS="pingpong pipelined" bench/run.sh
#   SOCKIT_SERVER_ENV="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0" bench/run.sh   # a runtime knob for every sockit server
#   SERVERS="c sockit-raw sockit-raw@inline sockit-raw@inline+nospin" bench/run.sh     # knobs side by side, interleaved
#   BASELINE_SOCKIT=../old/src/Sockit.Cli/bin/Release/net10.0/sockit SERVERS="c baseline-raw sockit-raw" bench/run.sh
#                                      # another build of sockit (an earlier commit) beside this one, same run
#
# Knobs (after @, joined with +): inline = DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (socket continuations on
# the epoll thread; one epoll thread per core then), epoll1 = DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=1 (one epoll
# thread), nospin = DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (idle pool threads do not spin),
# servergc = DOTNET_gcServer=1, nopgo = DOTNET_TieredPGO=0.
# Lab servers (bench/EchoLab: the library's SocketServer + EchoService with ConnectionOptions from the command
# line) measure settings of the TCP loops without editing them: lab-raw, lab-length, lab-raw:65536 (receive
# size in bytes), lab-length:65536:copy@inline (copy: echo the bytes of whole frames at once) ...
#
# Every process it starts is stopped on exit (trap). Results go to bench/baselines/out/results/<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-3s}
WARMUP=${WARMUP:-1s}
ROUNDS=${ROUNDS:-1}
SERVERS=${SERVERS:-"c python sockit-raw sockit-length"}
SCENARIOS=${SCENARIOS:-"pingpong pipelined many-pipelined bandwidth many-clients"}
SOCKIT_SERVER_ENV=${SOCKIT_SERVER_ENV:-}
SOCKIT_CLIENT_ENV=${SOCKIT_CLIENT_ENV:-}
BIN=bench/baselines/out
OUT=${OUT:-$BIN/results/$(date -u +%Y%m%dT%H%M%SZ)}
SOCKIT=src/Sockit.Cli/bin/Release/net10.0/sockit
IDLE_CONNS=1000

# 1000 connections need 1000+ descriptors on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 4096 ]; then
  echo "run.sh: ulimit -n is $(ulimit -n); 1000 connections need more (raise the hard limit)" >&2
  exit 1
fi

mkdir -p "$BIN" "$OUT"
echo "building baselines and sockit (Release)..." >&2
gcc -O2 -Wall -o "$BIN/epoll_echo" bench/baselines/epoll_echo.c
gcc -O2 -Wall -o "$BIN/echo_client" bench/baselines/echo_client.c
dotnet build src/Sockit.Cli -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
if [[ " $SERVERS " == *" lab-"* ]]; then
  dotnet build bench/EchoLab -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
fi
LAB=bench/EchoLab/bin/Release/net10.0/EchoLab

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

scenario_args() {
  case $1 in
    pingpong)       echo "1 32 1" ;;
    pipelined)      echo "1 32 256" ;;
    many-pipelined) echo "64 32 16" ;;
    bandwidth)      echo "1 65536 4" ;;
    many-clients)   echo "1000 128 1" ;;
    *) echo "run.sh: unknown scenario $1" >&2; exit 2 ;;
  esac
}

declare -A PID PORT
start_server() {
  local name=$1; shift
  local log=$OUT/server-$name.log
  "$@" >"$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local port=""
  for _ in $(seq 100); do
    port=$(grep -o 'listening on [0-9.]*:[0-9]*' "$log" | head -1 | sed 's/.*://' || true)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then echo "run.sh: server $name did not start:" >&2; cat "$log" >&2; exit 1; fi
  PID[$name]=$pid
  PORT[$name]=$port
  echo "server $name: pid $pid port $port" >&2
}

knob_env() {  # knob_env inline+nospin -> VAR=VALUE ...
  local knob
  for knob in ${1//+/ }; do
    case $knob in
      inline)   echo DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 ;;
      epoll1)   echo DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=1 ;;
      nospin)   echo DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 ;;
      servergc) echo DOTNET_gcServer=1 ;;
      nopgo)    echo DOTNET_TieredPGO=0 ;;
      *) echo "run.sh: unknown knob $knob" >&2; exit 2 ;;
    esac
  done
}

for s in $SERVERS; do
  knobs=""
  [[ $s == *@* ]] && knobs=$(knob_env "${s#*@}")
  base=${s%%@*}
  lab_args=()
  if [[ $base == *:* ]]; then
    IFS=: read -r -a lab_opts <<<"${base#*:}"
    for opt in "${lab_opts[@]}"; do
      case $opt in
        copy) lab_args+=(echo copy) ;;
        *)    lab_args+=(receive-size "$opt") ;;
      esac
    done
  fi
  case ${base%%:*} in
    c)             start_server "$s" "$BIN/epoll_echo" 0 ;;
    python)        start_server "$s" python3 bench/baselines/asyncio_echo.py 0 --framing length ;;
    sockit-raw)    start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$SOCKIT" listen 127.0.0.1:0 --mode echo --framing raw ;;
    sockit-length) start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$SOCKIT" listen 127.0.0.1:0 --mode echo --framing length ;;
    baseline-raw)    start_server "$s" env $SOCKIT_SERVER_ENV $knobs "${BASELINE_SOCKIT:?set BASELINE_SOCKIT}" listen 127.0.0.1:0 --mode echo --framing raw ;;
    baseline-length) start_server "$s" env $SOCKIT_SERVER_ENV $knobs "${BASELINE_SOCKIT:?set BASELINE_SOCKIT}" listen 127.0.0.1:0 --mode echo --framing length ;;
    lab-raw)       start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$LAB" raw "${lab_args[@]}" ;;
    lab-length)    start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$LAB" length "${lab_args[@]}" ;;
    *) echo "run.sh: unknown server $s" >&2; exit 2 ;;
  esac
done

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }   # utime + stime, in clock ticks
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
seconds() { case $1 in *ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
HZ=$(getconf CLK_TCK)

bench() {  # bench PORT CONNS SIZE DEPTH DURATION WARMUP -> JSON on stdout
  env $SOCKIT_CLIENT_ENV "$SOCKIT" bench 127.0.0.1 "$1" --conns "$2" --size "$3" --depth "$4" \
    --duration "$5" --warmup "$6" --framing length --json 2>>"$OUT/bench-stderr.log" || true
}

# Warm every server (JIT, pools) so the first scenario does not pay for it.
for s in $SERVERS; do bench "${PORT[$s]}" 8 32 16 1s 0 >/dev/null; done

RESULTS=$OUT/results.tsv
printf 'round\tscenario\tserver\tmsgs_per_sec\tp50\tp99\tp999\tmax\tcpu_us_per_msg\tok\trss_load_kib\n' >"$RESULTS"
CLIENT=$OUT/client.tsv
printf 'round\tscenario\tc_client\tsockit_bench\n' >"$CLIENT"
half=$(awk -v w="$(seconds "$WARMUP")" -v d="$(seconds "$DURATION")" 'BEGIN { print w + d / 2 }')

for round in $(seq "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    read -r conns size depth <<<"$(scenario_args "$scenario")"
    # Each round starts at a different server, so none always runs first after a quiet spell.
    read -r -a order <<<"$SERVERS"
    shift_by=$(( (round - 1) % ${#order[@]} ))
    for s in "${order[@]:shift_by}" "${order[@]:0:shift_by}"; do
      pid=${PID[$s]}
      before=$(cpu_ticks "$pid")
      ( sleep "$half"; rss_kib "$pid" >"$OUT/rss.tmp" ) &
      sampler=$!
      json=$(bench "${PORT[$s]}" "$conns" "$size" "$depth" "$DURATION" "$WARMUP")
      wait "$sampler" || true
      after=$(cpu_ticks "$pid")
      echo "$json" >"$OUT/$round-$scenario-$s.json"
      python3 bench/report.py row "$round" "$scenario" "$s" "$((after - before))" "$HZ" "$(cat "$OUT/rss.tmp")" \
        "$OUT/$round-$scenario-$s.json" >>"$RESULTS"
      tail -1 "$RESULTS" >&2
    done
    # Is the bench the bottleneck? The same load from a small C client against the C server, back to back.
    if [[ " $SERVERS " == *" c "* ]]; then
      c_rate=$("$BIN/echo_client" 127.0.0.1 "${PORT[c]}" "$conns" "$size" "$depth" "$(seconds "$DURATION")" "$(seconds "$WARMUP")" | awk '{ print $2 }')
      s_rate=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("messagesPerSecond", 0))' "$OUT/$round-$scenario-c.json")
      printf '%s\t%s\t%s\t%s\n' "$round" "$scenario" "$c_rate" "$s_rate" >>"$CLIENT"
    fi
  done
done

# RSS with 1000 idle connections: a Python client opens them, holds them, and we read each server's VmRSS.
IDLE=$OUT/idle.tsv
printf 'server\trss_start_kib\trss_idle_kib\n' >"$IDLE"
for s in $SERVERS; do
  pid=${PID[$s]}
  start=$(rss_kib "$pid")
  fifo=$OUT/idle.fifo; rm -f "$fifo"; mkfifo "$fifo"
  python3 -c '
import socket, sys, time
conns = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(int(sys.argv[2]))]
print("ready", flush=True)
time.sleep(float(sys.argv[3]))
' "${PORT[$s]}" "$IDLE_CONNS" 3 >"$fifo" &
  holder=$!
  PIDS+=("$holder")
  read -r _ <"$fifo"
  sleep 1
  printf '%s\t%s\t%s\n' "$s" "$start" "$(rss_kib "$pid")" >>"$IDLE"
  wait "$holder" || true
  rm -f "$fifo"
done

python3 bench/report.py "$OUT" | tee "$OUT/report.md"
echo "results: $OUT" >&2
