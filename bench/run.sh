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
#   SERVERS="c sockit-raw aot-raw sockit-length aot-length" bench/run.sh
#                                      # the native sockit of the README's install line (Native AOT: no JIT, no
#                                      # dynamic PGO) beside the JIT build; published into bench/baselines/out/aot
#                                      # another build of sockit (an earlier commit) beside this one, same run
#   SERVERS="c sockit-raw sockit-tls stunnel+c sockit-unix" bench/run.sh
#                                      # the transports: TLS (sockit's own, and stunnel in front of the C server)
#                                      # and a Unix domain socket, beside plain TCP
#   SERVERS="sockit-exec ncat-exec socat-exec" SCENARIOS="pingpong pipelined many-pipelined bandwidth" bench/run.sh
#                                      # a process per connection: sockit listen --exec cat, ncat --exec, socat EXEC
#   SERVERS="c sockit-forward socat-forward ncat-forward" bench/run.sh
#                                      # forwarders, each in front of its own C epoll echo server (issue 11)
#
# Forwarders: sockit-forward = `sockit forward 127.0.0.1:0 127.0.0.1:CPORT`; socat-forward =
# `socat TCP-LISTEN:P,fork,reuseaddr,nodelay TCP:127.0.0.1:CPORT,nodelay` (nodelay: sockit sets TCP_NODELAY too);
# ncat-forward = `ncat -l -k --sh-exec 'ncat 127.0.0.1 CPORT'`. The C backend's CPU and RSS are counted with each.
# socat and ncat serve each client in processes of its own: their RSS (idle table) is the sum over the whole process
# tree, and their CPU per message counts only children that have exited (a live child's time is not in its parent's).
#
# Transport servers: sockit-tls = `sockit listen 127.0.0.1:0 --tls --mode echo --framing raw` (self-signed; the bench
# pins the certificate it prints); stunnel+c = stunnel4 terminating TLS (a throwaway ECDSA P-256 certificate made
# with openssl in OUT) in front of its own bench/baselines/out/epoll_echo, both processes' CPU and RSS counted;
# sockit-unix = `sockit listen unix:/tmp/sockit-bench-PID.sock --mode echo --framing raw`, benched as unix:PATH.
# For TLS servers the idle test holds TLS connections (Python's ssl, no verification), for sockit-unix Unix ones,
# and IDLE_FRESH=1 (the default when sockit-tls runs) also measures freshly started sockit-raw and sockit-tls
# servers, so the per-connection cost is not hidden in a heap the load scenarios already grew.
#
# Exec servers (issue 11): sockit-exec = `sockit listen 127.0.0.1:0 --exec cat` (relays socket <-> pipes of a
# /bin/sh -c cat child); ncat-exec = `ncat -l -k --max-conns 2000 --exec /bin/cat` (the forked child execs cat with
# the socket itself as stdin/stdout: no relay process; --max-conns lifts ncat's default limit of 100 for
# many-clients); socat-exec = `socat TCP-LISTEN:P,bind=127.0.0.1,fork,reuseaddr EXEC:cat` (a socat process per client
# relays socket <-> socketpair of cat). The CPU column counts the listening process only (children's CPU is not
# included) and the idle-RSS test skips them (it would start 1000 processes).
#
# .NET peers (issue 16): pipelines = bench/baselines/PipelinesEcho (a hand-written System.IO.Pipelines echo: a
# PipeReader and a PipeWriter over a NetworkStream per connection, every read written back and flushed); dotnetty =
# bench/baselines/DotNettyEcho (DotNetty 0.7.6's echo example: one boss loop, default worker loops, flush per read
# batch). Both raw echo, as sockit-raw.
#   SERVERS="c sockit-raw sockit-length pipelines dotnetty" bench/run.sh
#
# Scenarios: pingpong (1 conn, 32 B, depth 1), pipelined (1, 32 B, 256), many-pipelined (64, 32 B, 16), bandwidth
# (1, 64 KiB, 4), many-clients (1000, 128 B, 1), and two not in the default table: clients-10k (10,000, 32 B, 1; the
# fd limit is raised to the hard limit, which must allow 2 x 10,000 + slack) and frames-1m (1, 1 MiB, 2: length
# framing must not copy a frame twice; sockit-length runs with --max-frame 2MiB).
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
IDLE_CONNS=${IDLE_CONNS:-1000}
STUNNEL=${STUNNEL:-/usr/bin/stunnel4}
UNIX_SOCKET=/tmp/sockit-bench-$$.sock

# 1000 connections need 1000+ descriptors in the bench and in the server (clients-10k: 10,000 in each; the limit is
# per process, and both inherit this one).
need=4096
[[ " $SCENARIOS " == *" clients-10k "* ]] && need=10240   # per process: the bench and the server each hold 10,000
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n 65536 2>/dev/null || true   # root may raise the hard limit too
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  echo "run.sh: ulimit -n is $(ulimit -n); the scenarios need $need descriptors (raise the hard limit: ulimit -Hn, or run as root)" >&2
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
AOT_SOCKIT=$BIN/aot/sockit
if [[ " $SERVERS " == *" aot-"* ]]; then
  dotnet publish src/Sockit.Cli -c Release -o "$BIN/aot" --nologo -v q -clp:ErrorsOnly >/dev/null
fi
for peer in pipelines:PipelinesEcho dotnetty:DotNettyEcho; do
  if [[ " $SERVERS " == *" ${peer%%:*}"[\ @]* ]]; then
    dotnet build "bench/baselines/${peer#*:}" -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
  fi
done
LAB=bench/EchoLab/bin/Release/net10.0/EchoLab

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$UNIX_SOCKET" "$UNIX_SOCKET-fresh"
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
    clients-10k)    echo "10000 32 1" ;;
    frames-1m)      echo "1 1048576 2" ;;
    *) echo "run.sh: unknown scenario $1" >&2; exit 2 ;;
  esac
}

# PID[name]: the server's process ids (two for stunnel+c: both are counted); PORT[name]: its TCP port, or the path of
# a Unix socket; TARGET[name]: what the bench is given (an endpoint and, for TLS, the pin); KIND[name]: tcp, tls, unix.
declare -A PID PORT TARGET KIND TREE
start_server() {
  local name=$1; shift
  local log=$OUT/server-${name//\//_}.log
  "$@" >"$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local port=""
  for _ in $(seq 300); do
    port=$(grep -o 'listening on [0-9.]*:[0-9]*' "$log" | head -1 | sed 's/.*://' || true)
    [ -z "$port" ] && port=$(grep -o 'listening on unix:[^ ]*' "$log" | head -1 | sed 's/listening on unix://' || true)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then echo "run.sh: server $name did not start:" >&2; cat "$log" >&2; exit 1; fi
  PID[$name]=$pid
  PORT[$name]=$port
  KIND[$name]=tcp
  TARGET[$name]="127.0.0.1:$port"
  if grep -q -- '--pin sha256:' "$log"; then
    KIND[$name]=tls
    TARGET[$name]="tls://127.0.0.1:$port --pin $(grep -o -- '--pin sha256:[0-9A-Fa-f]*' "$log" | head -1 | cut -d' ' -f2)"
  elif [[ $port == /* ]]; then
    KIND[$name]=unix
    TARGET[$name]="unix:$port"
  fi
  echo "server $name: pid $pid ${KIND[$name]} ${TARGET[$name]}" >&2
}

# A server that prints no listening line: start_polled NAME CMD... with PORT in CMD replaced by a free port; ready once
# a TCP connect succeeds.
start_polled() {
  local name=$1; shift
  local port arg args=() pid
  port=$(free_port)
  for arg in "$@"; do args+=("${arg//PORT/$port}"); done
  "${args[@]}" >"$OUT/server-$name.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 100); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$port" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: server $name did not start:" >&2; cat "$OUT/server-$name.log" >&2; exit 1; }
    sleep 0.1
  done
  PID[$name]=$pid
  PORT[$name]=$port
  KIND[$name]=tcp
  TARGET[$name]="127.0.0.1:$port"
  echo "server $name: pid $pid tcp ${TARGET[$name]}" >&2
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# stunnel4 terminating TLS in front of a C epoll echo server of its own: start_stunnel NAME
start_stunnel() {
  local name=$1 dir=$OUT/stunnel
  mkdir -p "$dir"
  if [ ! -f "$dir/cert.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  fi
  start_server "$name-backend" "$BIN/epoll_echo" 0
  local backend=${PORT[$name-backend]} port
  port=$(free_port)
  cat >"$dir/$name.conf" <<CONF
foreground = yes
pid =
debug = 4
output = $dir/$name.log
socket = l:TCP_NODELAY=1
socket = r:TCP_NODELAY=1
[echo]
accept = 127.0.0.1:$port
connect = 127.0.0.1:$backend
cert = $dir/cert.pem
key = $dir/key.pem
CONF
  "$STUNNEL" "$dir/$name.conf" >"$OUT/server-$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 100); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$port" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: stunnel did not start:" >&2; cat "$OUT/server-$name.log" "$dir/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  local fingerprint
  fingerprint=$(openssl x509 -in "$dir/cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
  PID[$name]="$pid ${PID[$name-backend]}"
  PORT[$name]=$port
  KIND[$name]=tls
  TARGET[$name]="tls://127.0.0.1:$port --pin sha256:$fingerprint"
  echo "server $name: pids ${PID[$name]} tls ${TARGET[$name]}" >&2
}

# A forwarder in front of a C epoll echo server of its own: start_forward NAME sockit|socat|ncat
start_forward() {
  local name=$1 kind=$2
  start_server "$name-backend" "$BIN/epoll_echo" 0
  local backend=${PORT[$name-backend]} port pid
  if [ "$kind" = sockit ]; then
    start_server "$name" env $SOCKIT_SERVER_ENV "$SOCKIT" forward 127.0.0.1:0 "127.0.0.1:$backend"
    PID[$name]="${PID[$name]} ${PID[$name-backend]}"
    return
  fi
  port=$(free_port)
  case $kind in
    socat) socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr,nodelay,backlog=512" "TCP:127.0.0.1:$backend,nodelay" >"$OUT/server-$name.log" 2>&1 & ;;
    ncat)  ncat -l -k 127.0.0.1 "$port" --sh-exec "ncat 127.0.0.1 $backend" >"$OUT/server-$name.log" 2>&1 & ;;
  esac
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 100); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$port" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: $kind did not start:" >&2; cat "$OUT/server-$name.log" >&2; exit 1; }
    sleep 0.1
  done
  PID[$name]="$pid ${PID[$name-backend]}"
  TREE[$name]=1
  PORT[$name]=$port
  KIND[$name]=tcp
  TARGET[$name]="127.0.0.1:$port"
  echo "server $name: pids ${PID[$name]} (and their children) tcp ${TARGET[$name]}" >&2
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
    sockit-length) start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$SOCKIT" listen 127.0.0.1:0 --mode echo --framing length --max-frame 2MiB ;;
    pipelines)     start_server "$s" env $knobs bench/baselines/PipelinesEcho/bin/Release/net10.0/PipelinesEcho ;;
    dotnetty)      start_server "$s" env $knobs bench/baselines/DotNettyEcho/bin/Release/net10.0/DotNettyEcho ;;
    sockit-tls)    start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$SOCKIT" listen 127.0.0.1:0 --tls --mode echo --framing raw ;;
    sockit-unix)   start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$SOCKIT" listen "unix:$UNIX_SOCKET" --mode echo --framing raw ;;
    stunnel+c)     start_stunnel "$s" ;;
    sockit-exec)   start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$SOCKIT" listen 127.0.0.1:0 --exec cat ;;
    ncat-exec)     start_polled "$s" ncat -l -k --max-conns 2000 --exec /bin/cat 127.0.0.1 PORT ;;
    socat-exec)    start_polled "$s" socat TCP-LISTEN:PORT,bind=127.0.0.1,fork,reuseaddr EXEC:cat ;;
    sockit-forward) start_forward "$s" sockit ;;
    socat-forward) start_forward "$s" socat ;;
    ncat-forward)  start_forward "$s" ncat ;;
    aot-raw)       start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$AOT_SOCKIT" listen 127.0.0.1:0 --mode echo --framing raw ;;
    aot-length)    start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$AOT_SOCKIT" listen 127.0.0.1:0 --mode echo --framing length --max-frame 2MiB ;;
    baseline-raw)    start_server "$s" env $SOCKIT_SERVER_ENV $knobs "${BASELINE_SOCKIT:?set BASELINE_SOCKIT}" listen 127.0.0.1:0 --mode echo --framing raw ;;
    baseline-length) start_server "$s" env $SOCKIT_SERVER_ENV $knobs "${BASELINE_SOCKIT:?set BASELINE_SOCKIT}" listen 127.0.0.1:0 --mode echo --framing length ;;
    lab-raw)       start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$LAB" raw "${lab_args[@]}" ;;
    lab-length)    start_server "$s" env $SOCKIT_SERVER_ENV $knobs "$LAB" length "${lab_args[@]}" ;;
    *) echo "run.sh: unknown server $s" >&2; exit 2 ;;
  esac
done

# Both take one or more process ids and add them up (stunnel+c is two processes).
cpu_ticks() { local p t=0; for p in "$@"; do t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }'))); done; echo "$t"; }   # utime + stime, in clock ticks
rss_kib() { local p t=0; for p in "$@"; do t=$((t + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$t"; }
descendants() { local p c; for p in "$@"; do echo "$p"; for c in $(pgrep -P "$p" || true); do descendants "$c"; done; done; }  # the process trees
seconds() { case $1 in *ms) awk -v v="${1%ms}" 'BEGIN { print v / 1000 }' ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
HZ=$(getconf CLK_TCK)

bench() {  # bench SERVER CONNS SIZE DEPTH DURATION WARMUP -> JSON on stdout
  # TARGET is an endpoint, plus --pin for TLS servers: split on purpose.
  # shellcheck disable=SC2086
  env $SOCKIT_CLIENT_ENV "$SOCKIT" bench ${TARGET[$1]} --conns "$2" --size "$3" --depth "$4" \
    --duration "$5" --warmup "$6" --framing length --json 2>>"$OUT/bench-stderr.log" || true
}

# Warm every server (JIT, pools) so the first scenario does not pay for it.
for s in $SERVERS; do bench "$s" 8 32 16 1s 0 >/dev/null; done

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
      # shellcheck disable=SC2086
      before=$(cpu_ticks $pid)
      # shellcheck disable=SC2086
      ( sleep "$half"; rss_kib $pid >"$OUT/rss.tmp" ) &
      sampler=$!
      json=$(bench "$s" "$conns" "$size" "$depth" "$DURATION" "$WARMUP")
      wait "$sampler" || true
      # shellcheck disable=SC2086
      after=$(cpu_ticks $pid)
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

# RSS with 1000 idle connections: a Python client opens them (over TLS for TLS servers, on the Unix socket for Unix
# ones), holds them, and we read each server's VmRSS.
hold_idle() {  # hold_idle KIND PORT_OR_PATH COUNT SECONDS: prints "ready" once every connection is up
  python3 -c '
import socket, ssl, sys, time
kind, where, count, hold = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
conns = []
for _ in range(count):
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(where)
    else:
        s = socket.create_connection(("127.0.0.1", int(where)))
    if kind == "tls":
        s = context.wrap_socket(s, server_hostname="localhost")
    conns.append(s)
print("ready", flush=True)
time.sleep(hold)
' "$@"
}

idle_rss() {  # idle_rss NAME: one idle.tsv line
  local s=$1 pid=${PID[$1]} start fifo holder
  # shellcheck disable=SC2086
  start=$(rss_kib $pid)
  fifo=$OUT/idle.fifo; rm -f "$fifo"; mkfifo "$fifo"
  hold_idle "${KIND[$s]}" "${PORT[$s]}" "$IDLE_CONNS" 3 >"$fifo" &
  holder=$!
  PIDS+=("$holder")
  read -r _ <"$fifo"
  sleep 1
  # Forwarders that fork serve each connection in processes of their own: count the whole tree.
  # shellcheck disable=SC2086
  [ -n "${TREE[$s]:-}" ] && pid=$(descendants $pid)
  # shellcheck disable=SC2086
  printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$start" "$(rss_kib $pid)" "$IDLE_CONNS" "${KIND[$s]}" >>"$IDLE"
  wait "$holder" || true
  rm -f "$fifo"
}

IDLE=$OUT/idle.tsv
printf 'server\trss_start_kib\trss_idle_kib\tconns\tkind\n' >"$IDLE"
for s in $SERVERS; do [[ $s == *-exec ]] || idle_rss "$s"; done

# The same on servers started just for it: the load scenarios above grew the servers' heaps, which can absorb the
# idle connections' memory and hide it.
IDLE_FRESH=${IDLE_FRESH:-$([[ " $SERVERS " == *" sockit-tls "* ]] && echo 1 || echo 0)}
if [ "$IDLE_FRESH" = 1 ]; then
  start_server fresh-sockit-raw env $SOCKIT_SERVER_ENV "$SOCKIT" listen 127.0.0.1:0 --mode echo --framing raw
  start_server fresh-sockit-tls env $SOCKIT_SERVER_ENV "$SOCKIT" listen 127.0.0.1:0 --tls --mode echo --framing raw
  start_server fresh-sockit-unix env $SOCKIT_SERVER_ENV "$SOCKIT" listen "unix:$UNIX_SOCKET-fresh" --mode echo --framing raw
  start_stunnel fresh-stunnel+c
  sleep 2
  for s in fresh-sockit-raw fresh-sockit-tls fresh-sockit-unix fresh-stunnel+c; do idle_rss "$s"; done
fi

python3 bench/report.py "$OUT" | tee "$OUT/report.md"
echo "results: $OUT" >&2
