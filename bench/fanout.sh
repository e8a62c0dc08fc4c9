#!/usr/bin/env bash
# Fan-out benchmark (issue 13): chat members spread over K `sockit listen --mode chat` nodes, every line timed from
# send to every receiver (bench/FanoutLoad). Two scenarios, each run ROUNDS times, alternating:
#   1. one node, members flooding: deliveries/s of this tree's chat (the in-process seam) against BASELINE's chat
#      (default: where this branch left main, built from `git archive`), so the ratio comes from one run on one machine;
#   2. a fixed offered load (MEMBERS x RATE lines/s, each line to MEMBERS-1 others): latency p50/p99 with K = 1
#      (in-process) and K = 2, 3 (Redis pub/sub through a redis-server started here on a Unix socket).
# Usage: bench/fanout.sh [SECONDS] [ROUNDS]      env: BASELINE=COMMIT MEMBERS=21 RATE=25 FLOOD_MEMBERS=8 SCENARIOS="1 2"
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}; rounds=${2:-3}
baseline=${BASELINE:-$(git merge-base HEAD main)}
members=${MEMBERS:-21}; rate=${RATE:-25}; flood_members=${FLOOD_MEMBERS:-8}
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build src/Sockit.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/FanoutLoad -c Release -v q -nologo >/dev/null
mkdir "$work/baseline"
git archive "$baseline" | tar -x -C "$work/baseline"
dotnet build "$work/baseline/src/Sockit.Cli" -c Release -v q -nologo >/dev/null
ours=src/Sockit.Cli/bin/Release/net10.0/sockit
theirs=$work/baseline/src/Sockit.Cli/bin/Release/net10.0/sockit
load=bench/FanoutLoad/bin/Release/net10.0/FanoutLoad

redis-server --port 0 --unixsocket "$work/redis.sock" --save "" --appendonly no --logfile "$work/redis.log" &
pids+=($!)
for _ in $(seq 100); do [ "$(redis-cli -s "$work/redis.sock" ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done

# start_nodes SOCKIT K [ARGS...]: starts K nodes on 127.0.0.1:0, sets $ports (comma-separated) and $node_pids.
start_nodes() {
  local sockit=$1 k=$2; shift 2
  ports=""; node_pids=()
  for i in $(seq "$k"); do
    local log="$work/node-$RANDOM.log"
    "$sockit" listen 127.0.0.1:0 --mode chat "$@" 2>"$log" >/dev/null &
    node_pids+=($!); pids+=($!)
    for _ in $(seq 200); do grep -q "listening on" "$log" && break; sleep 0.05; done
    ports+="${ports:+,}$(grep -o 'listening on 127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$')"
  done
}
stop_nodes() { kill "${node_pids[@]}"; wait "${node_pids[@]}" 2>/dev/null || true; }

run() { # run LABEL SOCKIT K MEMBERS RATE [ARGS...]
  local label=$1 sockit=$2 k=$3 m=$4 r=$5; shift 5
  start_nodes "$sockit" "$k" "$@"
  printf '%-22s %s\n' "$label" "$("$load" "$ports" "$m" "$r" "$seconds" 2 || true)"
  stop_nodes
}

echo "# $(date -u +%FT%TZ), $(nproc) cores, ${seconds} s per run, baseline $(git rev-parse --short "$baseline"), this tree $(git rev-parse --short HEAD)"
scenarios=${SCENARIOS:-1 2}
if [[ " $scenarios " == *" 1 "* ]]; then
  echo "## 1. one node, $flood_members members flooding"
  for round in $(seq "$rounds"); do
    run "baseline chat" "$theirs" 1 "$flood_members" 0
    run "seam K=1" "$ours" 1 "$flood_members" 0
  done
fi
if [[ " $scenarios " == *" 2 "* ]]; then
  echo "## 2. $members members x $rate lines/s (about $((members * rate * (members - 1))) deliveries/s)"
  for round in $(seq "$rounds"); do
    run "baseline chat" "$theirs" 1 "$members" "$rate"
    run "seam K=1" "$ours" 1 "$members" "$rate"
    run "redis K=2" "$ours" 2 "$members" "$rate" --backplane "redis+unix://$work/redis.sock"
    run "redis K=3" "$ours" 3 "$members" "$rate" --backplane "redis+unix://$work/redis.sock"
  done
fi
