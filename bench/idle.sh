#!/usr/bin/env bash
# Memory of idle connections (issue 16): a fresh `EXE listen 127.0.0.1:0 --mode echo`, its RSS (/proc/PID/status)
# before and while python3 holds N idle TCP connections to it; DUMP=1 adds the managed heap's biggest types per
# connection (dotnet-gcdump, JIT builds only).
#
#   bench/idle.sh src/Sockit.Cli/bin/Release/net10.0/sockit          # N=10000
#   N=1000 DUMP=1 bench/idle.sh src/Sockit.Cli/bin/Release/net10.0/sockit
#
# Memory, not time: valid on a busy machine. RSS varies by a few MiB with when the GC ran: take several runs.
set -euo pipefail
EXE=$1; N=${N:-10000}; DUMP=${DUMP:-0}
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((N + 100)) ] || { echo "idle.sh: the open-file limit $(ulimit -n) is below N=$N" >&2; exit 2; }
log=$(mktemp); fifo=$(mktemp -u)
"$EXE" listen 127.0.0.1:0 --mode echo >"$log" 2>&1 & pid=$!
trap 'kill $pid ${holder:-} 2>/dev/null || true; rm -f "$log" "$fifo"' EXIT
port=
for _ in $(seq 100); do port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$log" | head -1 | cut -d: -f2 || true); [ -n "$port" ] && break; sleep 0.1; done
[ -n "$port" ] || { echo "idle.sh: the server did not say where it listens:" >&2; cat "$log" >&2; exit 1; }
sleep 1
before=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
mkfifo "$fifo"
python3 -c '
import resource, socket, sys, time
limit = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
held = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(int(sys.argv[2]))]
print("ready", flush=True)
time.sleep(60)' "$port" "$N" >"$fifo" & holder=$!
read -r _ <"$fifo"
sleep 2
after=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
echo "RSS $((before / 1024)) MiB fresh, $((after / 1024)) MiB with $N idle connections: +$(((after - before) / 1024)) MiB, $(((after - before) * 1024 / N)) B each"
if [ "$DUMP" = 1 ]; then
  dump=$(mktemp -u).gcdump
  dotnet-gcdump collect -p $pid -o "$dump" >/dev/null
  dotnet-gcdump report "$dump" | python3 -c '
import re, sys
n = int(sys.argv[1]); rows = []
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+)\s+([\d,]+)\s+(.*)", line)
    if m and int(m.group(2).replace(",", "")) >= n * 9 // 10:
        size, count = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
        rows.append((size * count / n, m.group(3).split("  [")[0]))
rows.sort(reverse=True)
for per, name in rows[:25]: print(f"{per:8.0f} B  {name}")
print(f"{sum(p for p, _ in rows):8.0f} B  per connection in types with about one object per connection")' "$N"
  rm -f "$dump"
fi
