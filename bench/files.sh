#!/usr/bin/env bash
# File transfer benchmark (issue 12): sockit send/receive against nc (and tar | nc) in the same run, over loopback.
#
#   bench/files.sh                      # 1 GiB one way + 10,000 x 4 KiB files, 3 interleaved rounds
#   ROUNDS=5 SIZE_MIB=1024 FILES=10000 bench/files.sh
#   BEFORE=/tmp/aot-main/sockit bench/files.sh   # also times another sockit build (e.g. main's) in the same rounds
#   WORK=/mnt/bench/run1 bench/files.sh          # on a file system made for the run (root), steadier figures:
#       truncate -s 8G /var/tmp/bench.img && mkfs.ext4 -q -F /var/tmp/bench.img && mount -o loop /var/tmp/bench.img /mnt/bench
#     On a disk that has just had many files deleted (another run's clean-up, a test suite), ext4 creates each new
#     file slowly for a while (perf: ext4_create -> recently_deleted, find_inode_bit): 10,000 creates took 2-4 s
#     instead of 0.25 s. Both tools pay it, but unevenly from run to run.
#
# One way, 1 GiB: `nc -N 127.0.0.1 PORT < big` -> `nc -l 127.0.0.1 PORT > out` versus
# `sockit send 127.0.0.1:PORT big` -> `sockit receive 127.0.0.1:0 --dir D --once` (SHA-256 on both sides, partial
# file then rename, mode and mtime). Many files: `tar c tree | nc -N` -> `nc -l | tar x -C D` versus
# `sockit send 127.0.0.1:PORT tree` -> `sockit receive --dir D --once`. Wall time runs from starting the sender to
# both sides having exited (the receivers are already listening). Peak RSS from /usr/bin/time -v.
# Prints one Markdown row per round and test: wall seconds, the speed ratio (nc time / sockit time: above 1 sockit
# is faster), CPU seconds (user + system) and peak RSS of each side.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SIZE_MIB=${SIZE_MIB:-1024}
FILES=${FILES:-10000}
WORK=${WORK:-$(mktemp -d /tmp/sockit-files-bench.XXXXXX)}
trap 'rm -rf "$WORK"' EXIT
# The sockit users run: the README's install line (Native AOT). SOCKIT=src/Sockit.Cli/bin/Release/net10.0/sockit
# measures the JIT build instead (each side then also pays for JIT-compiling itself: ~1 s of CPU).
if [ -z "${SOCKIT:-}" ]; then
  echo "publishing the native sockit (the README's install line) into $WORK/native" >&2
  dotnet publish src/Sockit.Cli -c Release -o "$WORK/native" >/dev/null
  SOCKIT=$WORK/native/sockit
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
rss_kib() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
cpu_s() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$1"; }
wait_for() { for _ in $(seq 1 400); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "timeout waiting for '$2' in $1" >&2; exit 1; }

echo "making ${SIZE_MIB} MiB and ${FILES} x 4 KiB files in $WORK" >&2
head -c "${SIZE_MIB}M" /dev/urandom > "$WORK/big.bin"
mkdir -p "$WORK/tree"
python3 - "$WORK/tree" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
block = os.urandom(4096)
for i in range(n):
    d = os.path.join(root, 'd%02d' % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'f%05d' % i), 'wb') as f:
        f.write(block[i % 4096:] + block[:i % 4096])
PY
sync

# Each run writes into a new folder, after `sync`: no run pays for writing back the previous run's GiB, and no run
# creates its 10,000 files right after the previous run deleted 10,000 (ext4 then skips the recently freed inodes
# one by one: perf showed ext4_create -> recently_deleted at half of a receiver's samples). The 1 GiB outputs are
# deleted before the next run, the trees only at the end.
fresh_out() { rm -rf "$WORK"/out-big-*; local out; out=$(mktemp -d "$WORK/out-$1-XXXXXX"); sync; echo "$out"; }

nc_one() {  # $1 = "big" | "tree"; prints seconds, sender RSS, receiver RSS
  local port out; out=$(fresh_out "$1"); port=$(free_port)
  if [ "$1" = big ]; then
    /usr/bin/time -v -o "$WORK/rt" sh -c "nc -lv 127.0.0.1 $port > '$out/big.bin'" < /dev/null 2> "$WORK/rerr" &
  else
    /usr/bin/time -v -o "$WORK/rt" sh -c "nc -lv 127.0.0.1 $port < /dev/null | tar x -C '$out'" 2> "$WORK/rerr" &
  fi
  local rpid=$!; wait_for "$WORK/rerr" Listening
  local t0; t0=$(now)
  if [ "$1" = big ]; then
    /usr/bin/time -v -o "$WORK/st" nc -N 127.0.0.1 "$port" < "$WORK/big.bin"
  else
    /usr/bin/time -v -o "$WORK/st" sh -c "tar c -C '$WORK' tree | nc -N 127.0.0.1 $port"
  fi
  wait "$rpid"; local t1; t1=$(now)
  echo "$(echo "$t1 - $t0" | bc) $(rss_kib "$WORK/st") $(rss_kib "$WORK/rt") $(cpu_s "$WORK/st") $(cpu_s "$WORK/rt")"
}

sockit_one() {  # $1 = "big" | "tree"; $2 = the sockit executable (default $SOCKIT)
  local exe=${2:-$SOCKIT} out; out=$(fresh_out "$1")
  /usr/bin/time -v -o "$WORK/rt" "$exe" receive 127.0.0.1:0 --dir "$out" --once 2> "$WORK/rerr" &
  local rpid=$!; wait_for "$WORK/rerr" "listening on"
  local port; port=$(grep -o '127.0.0.1:[0-9]*' "$WORK/rerr" | head -1)
  local t0; t0=$(now)
  if [ "$1" = big ]; then
    /usr/bin/time -v -o "$WORK/st" "$exe" send "$port" "$WORK/big.bin" 2> "$WORK/serr"
  else
    /usr/bin/time -v -o "$WORK/st" "$exe" send "$port" "$WORK/tree" 2> "$WORK/serr"
  fi
  wait "$rpid"; local t1; t1=$(now)
  # Checked here, before the next run's fresh_out deletes this output.
  if [ "$1" = big ]; then
    cmp -s "$WORK/big.bin" "$out/big.bin" || { echo "MISMATCH in $out" >&2; exit 1; }
  else
    [ "$(find "$out/tree" -type f | wc -l)" = "$FILES" ] || { echo "MISSING FILES in $out" >&2; exit 1; }
  fi
  echo "$(echo "$t1 - $t0" | bc) $(rss_kib "$WORK/st") $(rss_kib "$WORK/rt") $(cpu_s "$WORK/st") $(cpu_s "$WORK/rt")"
}

if [ -n "${BEFORE:-}" ]; then
  echo "| round | test | nc s | sockit s | sockit/nc speed | nc CPU s send/recv | sockit CPU s send/recv | nc RSS MiB send/recv | sockit RSS MiB send/recv | before s | before/nc speed | before CPU s send/recv |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
else
  echo "| round | test | nc s | sockit s | sockit/nc speed | nc CPU s send/recv | sockit CPU s send/recv | nc RSS MiB send/recv | sockit RSS MiB send/recv |"
  echo "|---|---|---|---|---|---|---|---|---|"
fi
for r in $(seq 1 "$ROUNDS"); do
  for test in big tree; do
    # Odd rounds: [before,] nc, sockit; even rounds the reverse.
    if [ $((r % 2)) = 1 ]; then
      if [ -n "${BEFORE:-}" ]; then b=$(sockit_one $test "$BEFORE"); fi
      n=$(nc_one $test); s=$(sockit_one $test)
    else
      s=$(sockit_one $test); n=$(nc_one $test)
      if [ -n "${BEFORE:-}" ]; then b=$(sockit_one $test "$BEFORE"); fi
    fi
    read -r ns nsr nrr nsc nrc <<< "$n"; read -r ss ssr srr ssc src <<< "$s"
    printf '| %s | %s | %.2f | %.2f | %.2fx | %s / %s | %s / %s | %d / %d | %d / %d |' "$r" "$test" "$ns" "$ss" "$(echo "$ns / $ss" | bc -l)" \
      "$nsc" "$nrc" "$ssc" "$src" $((nsr / 1024)) $((nrr / 1024)) $((ssr / 1024)) $((srr / 1024))
    if [ -n "${BEFORE:-}" ]; then read -r bs _ _ bsc brc <<< "$b"; printf ' %.2f | %.2fx | %s / %s |' "$bs" "$(echo "$ns / $bs" | bc -l)" "$bsc" "$brc"; fi
    echo
  done
done
