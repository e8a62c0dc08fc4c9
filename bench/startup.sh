#!/usr/bin/env bash
# Start-up of every command (issue 15): wall time (median of ROUNDS, min-max) and peak RSS of one quick invocation
# each, for the native sockit of the README's install line (Native AOT) and the JIT build, interleaved.
#
#   bench/startup.sh                    # ROUNDS=11
#   SOCKIT_AOT=~/.local/bin/sockit bench/startup.sh
#
# The quick invocation is the command's own work where it needs no peer (ip aton, port, resolve of localhost, host,
# demo sticky) and its --help otherwise (a server or a client needs a peer: its start-up is parsing and help). Wall
# time from fork to exit (python3 perf_counter around fork/wait4), peak RSS from that child's own rusage (wait4).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-11}
JIT=src/Sockit.Cli/bin/Release/net10.0/sockit
[ -x "$JIT" ] || dotnet build src/Sockit.Cli -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
if [ -z "${SOCKIT_AOT:-}" ]; then
  SOCKIT_AOT=bench/baselines/out/aot/sockit
  dotnet publish src/Sockit.Cli -c Release -o bench/baselines/out/aot --nologo -v q -clp:ErrorsOnly >/dev/null
fi
python3 - "$ROUNDS" "$SOCKIT_AOT" "$JIT" <<'PY'
import os, statistics, subprocess, sys, time
rounds, aot, jit = int(sys.argv[1]), sys.argv[2], sys.argv[3]
commands = [l.split()[0] for l in subprocess.run([jit, '--help'], capture_output=True, text=True).stdout.split('Commands:')[1].splitlines() if l.startswith('  ')]
quick = {'ip': ['ip', 'aton', '127.1'], 'port': ['port', 'http'], 'resolve': ['resolve', 'localhost'], 'host': ['host'],
         'demo': ['demo', 'sticky']}
def run(exe, args):
    t0 = time.perf_counter()
    p = subprocess.Popen([exe] + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)
print('| command | invocation | AOT ms, median (min–max) | AOT peak RSS MiB | JIT ms, median (min–max) | JIT peak RSS MiB | JIT ÷ AOT |')
print('|---|---|---:|---:|---:|---:|---:|')
for c in commands:
    args = quick.get(c, [c, '--help'])
    samples = {aot: [], jit: []}
    for _ in range(rounds):
        for exe in (aot, jit):
            wall, rss, code = run(exe, args)
            if code != 0:
                sys.exit(f'startup.sh: {exe} {" ".join(args)} exited {code}')
            samples[exe].append((wall * 1000, rss))
    def cell(s):
        w = sorted(x[0] for x in s)
        return f'{statistics.median(w):.1f} ({w[0]:.1f}–{w[-1]:.1f})', f'{max(x[1] for x in s):.1f}'
    (aw, ar), (jw, jr) = cell(samples[aot]), cell(samples[jit])
    ratio = statistics.median(x[0] for x in samples[jit]) / statistics.median(x[0] for x in samples[aot])
    print(f'| {c} | `sockit {" ".join(args)}` | {aw} | {ar} | {jw} | {jr} | {ratio:.1f}× |')
PY
