#!/usr/bin/env python3
"""Tables for bench/run.sh.

report.py row ROUND SCENARIO SERVER CPU_TICKS HZ RSS_KIB JSON_FILE   -> one results.tsv line
report.py OUT_DIR                                                   -> Markdown report of OUT_DIR/*.tsv
"""
import csv
import json
import statistics
import sys

SCENARIOS = {
    "pingpong": "ping-pong 1×32 B×1",
    "pipelined": "pipelined 1×32 B×256",
    "many-pipelined": "many pipelined 64×32 B×16",
    "bandwidth": "bandwidth 1×64 KiB×4",
    "many-clients": "many clients 1000×128 B×1",
    "clients-10k": "10,000 clients 10000×32 B×1",
    "frames-1m": "1 MiB frames 1×1 MiB×2",
}
# Issue 16's goals: throughput ≥ 0.9 × C with raw framing, ≥ 0.85 × C with length framing, CPU per message ≤ 1.3 × C.
TARGET = {"sockit-raw": 0.9, "sockit-length": 0.85, "aot-raw": 0.9, "aot-length": 0.85}
CPU_TARGET = 1.3


def row(rnd, scenario, server, ticks, hz, rss, path):
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, json.JSONDecodeError):
        r = {}
    lat = r.get("latencyMicroseconds", {})
    verified = r.get("verified", 0)
    cpu = int(ticks) / int(hz) * 1e6 / verified if verified else 0
    values = [rnd, scenario, server, r.get("messagesPerSecond", 0), lat.get("p50", 0), lat.get("p99", 0),
              lat.get("p99.9", 0), lat.get("max", 0), round(cpu, 3), r.get("ok", False), rss or 0]
    print("\t".join(str(v) for v in values))


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def median(values):
    return statistics.median(values) if values else 0.0


def ratio(a, b):
    return a / b if b else 0.0


def report(out):
    rows = load(f"{out}/results.tsv")
    servers = list(dict.fromkeys(r["server"] for r in rows))
    scenarios = [s for s in SCENARIOS if any(r["scenario"] == s for r in rows)]
    by = {}
    for r in rows:
        by.setdefault((r["scenario"], r["server"]), []).append(r)

    def ratios(scenario, server, field, base_server="c"):
        mine = {r["round"]: float(r[field]) for r in by.get((scenario, server), [])}
        base = {r["round"]: float(r[field]) for r in by.get((scenario, base_server), [])}
        return [ratio(v, base[k]) for k, v in mine.items() if k in base]

    def per_round(scenario, server, field, to_c=False, base_server="c"):
        if to_c:
            return median(ratios(scenario, server, field, base_server))
        return median([float(r[field]) for r in by.get((scenario, server), [])])

    rounds = len({r["round"] for r in rows})
    print(f"### Throughput, latency and server CPU ({rounds} round(s); ratios are to the C server in the same round)\n")
    print("| scenario | server | msg/s | × C | × C spread | p50 µs | p99 µs | p99 × C | CPU µs/msg | CPU × C | replies ok |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    chart = []
    for sc in scenarios:
        for sv in servers:
            if (sc, sv) not in by:
                continue
            rate = per_round(sc, sv, "msgs_per_sec")
            r_rate = per_round(sc, sv, "msgs_per_sec", True)
            p99 = per_round(sc, sv, "p99")
            r_p99 = per_round(sc, sv, "p99", True)
            cpu = per_round(sc, sv, "cpu_us_per_msg")
            r_cpu = per_round(sc, sv, "cpu_us_per_msg", True)
            spread = ratios(sc, sv, "msgs_per_sec")
            spread = f"{min(spread):.2f}–{max(spread):.2f}" if spread else "–"
            ok = all(r["ok"] == "True" for r in by[(sc, sv)])
            marks = ""
            base = sv.split("@")[0].split(":")[0].replace("lab-", "sockit-")
            if base in TARGET:
                met = r_rate >= TARGET[base] and r_cpu <= CPU_TARGET
                marks = " ✓" if met else " ✗"
            print(f"| {SCENARIOS[sc]} | {sv}{marks} | {rate:,.0f} | {r_rate:.2f} | {spread} | {per_round(sc, sv, 'p50'):,.0f} | "
                  f"{p99:,.0f} | {r_p99:.2f} | {cpu:.2f} | {r_cpu:.2f} | {'yes' if ok else 'NO'} |")
            chart.append((sc, sv, r_rate))
    print("\n× C: the median over rounds of each round's ratio to C; spread: the lowest and highest of those ratios.")
    print("✓/✗: issue 16's goals for that row (msg/s ≥ 0.9 × C raw, ≥ 0.85 × C length; CPU per message ≤ 1.3 × C).\n")

    print("### Throughput as a ratio to the C epoll server\n")
    print("```")
    width = 40
    name = max((len(sv) for _, sv, _ in chart), default=0)
    for sc in scenarios:
        print(SCENARIOS[sc])
        for s, sv, r in [c for c in chart if c[0] == sc]:
            bar = "█" * round(min(r, 1.5) * width)
            print(f"  {sv:<{name}} {bar} {r:.2f}")
    print("```\n")

    # The transports issue's comparisons: sockit's TLS echo against stunnel in front of the C server, TLS against
    # sockit's own plaintext, and a Unix socket against TCP. Medians of per-round ratios, like the columns above.
    pairs = [("sockit-tls", "stunnel+c", "sockit-tls ÷ stunnel+c"), ("sockit-tls", "sockit-raw", "sockit-tls ÷ sockit-raw"),
             ("sockit-unix", "sockit-raw", "sockit-unix ÷ sockit-raw")]
    pairs = [p for p in pairs if p[0] in servers and p[1] in servers]
    if pairs:
        print("### Transports: ratios within each round (medians over rounds)\n")
        print("| scenario | comparison | msg/s | p50 | p99 | server CPU/msg |")
        print("|---|---|---:|---:|---:|---:|")
        for sc in scenarios:
            for a, b, label in pairs:
                if (sc, a) in by and (sc, b) in by:
                    print(f"| {SCENARIOS[sc]} | {label} | {per_round(sc, a, 'msgs_per_sec', True, b):.2f} | "
                          f"{per_round(sc, a, 'p50', True, b):.2f} | {per_round(sc, a, 'p99', True, b):.2f} | "
                          f"{per_round(sc, a, 'cpu_us_per_msg', True, b):.2f} |")
        print()

    try:
        client = load(f"{out}/client.tsv")
    except OSError:
        client = []
    if client:
        print("### Is the bench the bottleneck? `sockit bench` vs a small C client, both against the C server\n")
        print("| scenario | C client msg/s | sockit bench msg/s | bench ÷ C client |")
        print("|---|---:|---:|---:|")
        for sc in scenarios:
            rs = [r for r in client if r["scenario"] == sc]
            if rs:
                c = median([float(r["c_client"]) for r in rs])
                s = median([float(r["sockit_bench"]) for r in rs])
                print(f"| {SCENARIOS[sc]} | {c:,.0f} | {s:,.0f} | {median([ratio(float(r['sockit_bench']), float(r['c_client'])) for r in rs]):.2f} |")
        print()

    try:
        idle = load(f"{out}/idle.tsv")
    except OSError:
        idle = []
    print("### Server memory (RSS, MiB; fresh-…: a server started just for the idle test)\n")
    print("| server | idle connections | at start of idle test | with the idle connections | KiB per idle connection | 1000 connections at full load |")
    print("|---|---|---:|---:|---:|---:|")
    fmt = lambda kib: f"{int(kib) / 1024:.1f}" if kib and int(kib) else "–"
    names = servers + [r["server"] for r in idle if r["server"] not in servers]
    for sv in names:
        i = next((r for r in idle if r["server"] == sv), None)
        load_rss = max([int(r["rss_load_kib"]) for r in by.get(("many-clients", sv), [])] or [0])
        conns = int(i.get("conns") or 1000) if i else 0
        per = f"{(int(i['rss_idle_kib']) - int(i['rss_start_kib'])) / conns:.1f}" if i and conns else "–"
        kind = f"{conns} {i.get('kind') or 'tcp'}" if i else "–"
        print(f"| {sv} | {kind} | {fmt(i['rss_start_kib']) if i else '–'} | {fmt(i['rss_idle_kib']) if i else '–'} | {per} | {fmt(load_rss)} |")


if __name__ == "__main__":
    if sys.argv[1] == "row":
        row(*sys.argv[2:9])
    else:
        report(sys.argv[1])
