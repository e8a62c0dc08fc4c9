#!/usr/bin/env bash
# Can `sockit trace` keep up with the loopback traffic it watches? Runs `sockit bench` against `sockit listen --mode
# echo` on 127.0.0.1, first alone (the baseline), then with `sockit trace --port PORT` capturing the same port, and
# prints the bench's msg/s both times with trace's own summary: segments shown, TCP segments seen on lo, and the
# kernel's counters for the capture socket (frames delivered, frames dropped because trace fell behind).
# Needs root (CAP_NET_RAW). Usage: bench/trace-capture.sh [SOCKIT] [DURATION] [CONNS] [DEPTH] [SIZE]
set -euo pipefail
sockit=${1:-src/Sockit.Cli/bin/Release/net10.0/sockit}
duration=${2:-5s}; conns=${3:-4}; depth=${4:-16}; size=${5:-64}
work=$(mktemp -d); trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

"$sockit" listen 127.0.0.1:0 --mode echo 2>"$work/listen.err" & server=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/listen.err" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/listen.err")

msgs() { "$sockit" bench 127.0.0.1 "$port" --conns "$conns" --depth "$depth" --size "$size" --duration "$duration" --json \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["messagesPerSecond"]))'; }

baseline=$(msgs)
"$sockit" trace --port "$port" >/dev/null 2>"$work/trace.err" & trace=$!
for _ in $(seq 100); do grep -q 'tracing TCP' "$work/trace.err" 2>/dev/null && break; sleep 0.1; done
traced=$(msgs)
kill -TERM $trace; wait $trace || true  # TERM: a background job of a script has SIGINT ignored
echo "bench: --conns $conns --depth $depth --size $size --duration $duration, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "msg/s alone: $baseline; msg/s while traced: $traced; ratio $(python3 -c "print(round($traced/$baseline, 2))")"
tail -1 "$work/trace.err"
