#!/usr/bin/env python3
"""Load driver and judge of the soak run (bench/soak.sh starts the server and calls this; see its header).

  soak.py load   --port P --pid PID --out DIR [--duration S] ...   throw every kind of client at the server,
                                                                  sample it, write DIR/samples.csv and DIR/load.json
  soak.py report --out DIR --server-exit RC [--max-memory-mib M]   judge load.json + the server's exit code,
                                                                  write DIR/summary.json and DIR/summary.txt, exit 0/1

Stdlib only. Every loop is bounded by a deadline and by one stop event (set at DURATION, on Ctrl-C, or when the
server process dies), and every socket operation has a timeout.

Client kinds (all at once, each a thread per connection slot):
  good     length-framed request/response, one frame in flight; payload sizes log-uniform 1 B..64 KiB; each payload
           starts with (client id, sequence number) and the reply is compared byte for byte; latency per message.
  slow     send 64 KiB frames non-stop with a 16 KiB receive buffer; half read 4 KiB every 0.5 s, half never read.
           They may be reset (max-memory); they reconnect.
  trickle  send a header announcing 1000 bytes, then one byte a second: the server must reset them within
           --frame-timeout (+ TRICKLE_SLACK); they reconnect.
  bad      alternately an oversize header (> --max-frame) and 64 random bytes; the server must close them; reconnect.
  resetter connect, send half a frame, close with SO_LINGER 0 (RST); repeat.
  burst    every BURST_EVERY s open BURST_CONNS idle connections (more than the server's fd limit), hold BURST_HOLD s,
           release; then a fresh connection must get an echo within PROBE_TIMEOUT s.

Good-client policy: a lost, corrupted or late (REPLY_TIMEOUT) reply fails the run. A good client whose connection is
reset or closed fails the run too, unless that happens inside a burst window (burst start to release + BURST_GRACE s):
then it is counted as good.burst_resets, its in-flight message is counted as abandoned (not lost: the server never
acknowledged it), and it reconnects.
"""
import argparse
import array
import json
import math
import os
import random
import selectors
import signal
import socket
import struct
import sys
import threading
import time

HDR = struct.Struct("!I")
TAG = struct.Struct("!IQ")  # client id, sequence number: the first 12 bytes of every good payload
HIST_SCALE = 50.0  # latency histogram: bucket = int(ln(µs) * 50), about 2 % wide


def now():
    return time.monotonic()


class Stats:
    """Counters shared by the clients of one kind (a lock around += so threads do not lose counts)."""

    def __init__(self, **fields):
        self._lock = threading.Lock()
        self.__dict__.update(fields)

    def add(self, **deltas):
        with self._lock:
            for k, v in deltas.items():
                setattr(self, k, getattr(self, k) + v)

    def maxed(self, **values):
        with self._lock:
            for k, v in values.items():
                if v > getattr(self, k):
                    setattr(self, k, v)

    def snapshot(self):
        with self._lock:
            return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}


class Soak:
    def __init__(self, a):
        self.a = a
        self.addr = ("127.0.0.1", a.port)
        self.stop = threading.Event()
        self.t0 = now()
        self.deadline = self.t0 + a.duration
        self.failures = []  # (t, kind, message); any entry fails the run
        self.fail_lock = threading.Lock()
        self.bursts = []  # [start, release or None]
        self.burst_lock = threading.Lock()
        self.pool = os.urandom(1 << 17)
        self.hist = {}
        self.hist_lock = threading.Lock()
        self.interval_max_us = 0.0
        self.good = Stats(messages=0, bytes_sent=0, bytes_verified=0, corrupted=0, lost=0, reply_timeouts=0,
                          resets=0, burst_resets=0, abandoned=0, connects=0, connect_failures=0, max_latency_us=0.0)
        self.slow = Stats(connects=0, bytes_sent=0, bytes_read=0, resets=0, closes=0, connect_failures=0)
        self.trickle = Stats(connects=0, resets=0, closes=0, survived=0, max_time_to_reset=0.0, connect_failures=0,
                             bytes_sent=0)
        self.bad = Stats(connects=0, oversize_sent=0, garbage_sent=0, closed=0, resets=0, not_closed_oversize=0,
                         not_closed_garbage=0, connect_failures=0)
        self.resetter = Stats(cycles=0, connect_failures=0)
        self.burst = Stats(bursts=0, attempted=0, connected=0, refused_or_reset=0, connect_timeouts=0,
                           alive_at_release=0, probe_ok=0, probe_failed=0, max_probe_seconds=0.0)
        self.samples = []

    # ---- helpers -------------------------------------------------------------------------------------------
    def t(self):
        return round(now() - self.t0, 3)

    def fail(self, kind, msg):
        with self.fail_lock:
            if len(self.failures) < 200:
                self.failures.append((self.t(), kind, msg))
        print(f"soak: FAIL at {self.t():.1f}s [{kind}] {msg}", file=sys.stderr, flush=True)

    def running(self):
        return not self.stop.is_set() and now() < self.deadline

    def in_burst(self, t=None):
        t = now() if t is None else t
        with self.burst_lock:
            for start, release in self.bursts:
                if start - 1 <= t and (release is None or t <= release + self.a.burst_grace):
                    return True
        return False

    def connect(self, timeout=5.0):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(self.addr)
        except OSError:
            s.close()
            raise
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def sleep(self, seconds):
        self.stop.wait(max(0.0, min(seconds, self.deadline - now())))

    def send_until(self, s, data, stats_field=None, stats=None):
        """send() in pieces (the socket has a short timeout) until all is sent or the run stops. True if all sent."""
        view = memoryview(data)
        while view and self.running():
            try:
                n = s.send(view)
            except socket.timeout:
                continue
            view = view[n:]
            if stats is not None:
                stats.add(**{stats_field: n})
        return not view

    def recv_exact(self, s, n, deadline):
        """Returns n bytes, or fewer if the peer closed; raises socket.timeout past deadline."""
        buf = bytearray()
        while len(buf) < n:
            left = deadline - now()
            if left <= 0:
                raise socket.timeout("reply timeout")
            s.settimeout(min(left, 1.0))
            try:
                chunk = s.recv(min(n - len(buf), 1 << 20))
            except socket.timeout:
                if self.stop.is_set():
                    raise InterruptedError()
                continue
            if not chunk:
                break
            buf += chunk
        return bytes(buf)

    # ---- good clients --------------------------------------------------------------------------------------
    def good_client(self, cid):
        rnd = random.Random(cid * 7919 + int(self.t0))
        seq = 0
        s = None
        connect_deadline = now() + 10
        local_hist = {}
        while self.running():
            if s is None:
                try:
                    s = self.connect()
                    self.good.add(connects=1)
                    connect_deadline = now() + 10
                except OSError as e:
                    self.good.add(connect_failures=1)
                    if now() > connect_deadline and not self.in_burst():
                        self.fail("good", f"client {cid} cannot connect for 10 s: {e!r}")
                        connect_deadline = now() + 10
                    self.sleep(0.2)
                    continue
            size = max(1, min(65536, int(2 ** rnd.uniform(0, 16))))
            seq += 1
            tag = TAG.pack(cid, seq)
            if size <= len(tag):
                payload = tag[len(tag) - size:]
            else:
                off = rnd.randrange(0, len(self.pool) - size)
                payload = tag + self.pool[off:off + size - len(tag)]
            frame = HDR.pack(size) + payload
            started = now()
            try:
                s.settimeout(1.0)
                if not self.send_until(s, frame):
                    break
                self.good.add(bytes_sent=size)
                reply_deadline = started + self.a.reply_timeout
                head = self.recv_exact(s, 4, reply_deadline)
                body = self.recv_exact(s, HDR.unpack(head)[0], reply_deadline) if len(head) == 4 else b""
                if len(head) < 4 or len(body) < HDR.unpack(head)[0]:
                    raise ConnectionResetError("closed by the server (FIN) mid-reply" if head else "closed by the server (FIN)")
            except InterruptedError:
                break
            except socket.timeout:
                self.good.add(reply_timeouts=1, lost=size)
                self.fail("good", f"client {cid} seq {seq}: no complete reply to {size} bytes within {self.a.reply_timeout} s")
                s.close()
                s = None
                continue
            except OSError as e:
                s.close()
                s = None
                if self.in_burst(started) or self.in_burst():
                    self.good.add(burst_resets=1, abandoned=1)
                else:
                    self.good.add(resets=1, lost=size)
                    self.fail("good", f"client {cid} seq {seq} ({size} bytes): connection lost outside a burst: {e!r}")
                continue
            lat_us = (now() - started) * 1e6
            if body != payload:
                bad_at = next((i for i in range(min(len(body), len(payload))) if body[i] != payload[i]), min(len(body), len(payload)))
                self.good.add(corrupted=size)
                self.fail("good", f"client {cid} seq {seq}: reply of {len(body)} bytes differs from the {size} sent at byte {bad_at}")
                s.close()
                s = None
                continue
            self.good.add(messages=1, bytes_verified=size)
            self.good.maxed(max_latency_us=lat_us)
            b = int(math.log(max(lat_us, 1.0)) * HIST_SCALE)
            local_hist[b] = local_hist.get(b, 0) + 1
            if lat_us > self.interval_max_us:
                self.interval_max_us = lat_us
            if len(local_hist) > 64 or seq % 256 == 0:
                self.merge_hist(local_hist)
                local_hist = {}
        self.merge_hist(local_hist)
        if s is not None:
            s.close()

    def merge_hist(self, h):
        with self.hist_lock:
            for k, v in h.items():
                self.hist[k] = self.hist.get(k, 0) + v

    # ---- slow readers --------------------------------------------------------------------------------------
    def slow_client(self, cid):
        reads = cid % 2 == 0
        frame = HDR.pack(65536) + self.pool[:65536]
        while self.running():
            try:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
                s.settimeout(5)
                s.connect(self.addr)
                self.slow.add(connects=1)
            except OSError:
                s.close()
                self.slow.add(connect_failures=1)
                self.sleep(0.5)
                continue
            next_read = now()
            try:
                while self.running():
                    s.settimeout(0.5)
                    try:
                        n = s.send(frame)
                        self.slow.add(bytes_sent=n)
                    except socket.timeout:
                        pass
                    if reads and now() >= next_read:
                        next_read = now() + 0.5
                        s.settimeout(0.05)
                        try:
                            got = s.recv(4096)
                            if not got:
                                self.slow.add(closes=1)
                                break
                            self.slow.add(bytes_read=len(got))
                        except socket.timeout:
                            pass
            except OSError:
                self.slow.add(resets=1)
            finally:
                s.close()
            self.sleep(0.2)

    # ---- tricklers (slowloris) ----------------------------------------------------------------------------
    def trickle_client(self, cid):
        limit = self.a.frame_timeout + self.a.trickle_slack
        while self.running():
            try:
                s = self.connect()
                self.trickle.add(connects=1)
            except OSError:
                self.trickle.add(connect_failures=1)
                self.sleep(0.5)
                continue
            started = now()
            outcome = None
            try:
                s.sendall(HDR.pack(1000))
                while self.running():
                    s.settimeout(1.0)
                    try:
                        got = s.recv(16)
                        outcome = "close" if not got else outcome
                        if not got:
                            break
                    except socket.timeout:
                        pass
                    if now() - started > limit:
                        outcome = "survived"
                        break
                    s.send(b"x")
                    self.trickle.add(bytes_sent=1)
            except OSError:
                outcome = "reset"
            finally:
                s.close()
            took = now() - started
            if outcome == "reset":
                self.trickle.add(resets=1)
                self.trickle.maxed(max_time_to_reset=took)
            elif outcome == "close":
                self.trickle.add(closes=1)
                self.trickle.maxed(max_time_to_reset=took)
            elif outcome == "survived":
                self.trickle.add(survived=1)
                self.fail("trickle", f"trickler {cid} still connected {took:.1f} s after starting a frame (frame timeout {self.a.frame_timeout} s)")
            self.sleep(0.1)

    # ---- bad frames ------------------------------------------------------------------------------------------
    def bad_client(self, cid):
        i = 0
        rnd = random.Random(cid)
        while self.running():
            i += 1
            oversize = i % 2 == 1
            try:
                s = self.connect()
                self.bad.add(connects=1)
            except OSError:
                self.bad.add(connect_failures=1)
                self.sleep(0.5)
                continue
            try:
                if oversize:
                    s.sendall(HDR.pack(self.a.max_frame + 1 + rnd.randrange(1 << 20)) + b"oversize")
                    self.bad.add(oversize_sent=1)
                else:
                    s.sendall(bytes(rnd.getrandbits(8) for _ in range(64)))
                    self.bad.add(garbage_sent=1)
                end = now() + 5
                closed = False
                while now() < end and self.running():
                    s.settimeout(0.5)
                    try:
                        got = s.recv(65536)
                        if not got:
                            closed = True
                            self.bad.add(closed=1)
                            break
                    except socket.timeout:
                        pass
                if not closed and self.running():
                    # Garbage may well be a small valid header waiting for its payload; only oversize must close.
                    self.bad.add(**{"not_closed_oversize" if oversize else "not_closed_garbage": 1})
                    if oversize and not self.in_burst():
                        self.fail("bad", f"bad-frame client {cid}: an oversize header was not answered by a close within 5 s")
            except OSError:
                self.bad.add(resets=1)
            finally:
                s.close()
            self.sleep(0.05)

    # ---- resetters -------------------------------------------------------------------------------------------
    def resetter_client(self, cid):
        linger = struct.pack("ii", 1, 0)
        while self.running():
            try:
                s = self.connect()
            except OSError:
                self.resetter.add(connect_failures=1)
                self.sleep(0.5)
                continue
            try:
                s.sendall(HDR.pack(4096) + self.pool[:random.randrange(1, 4096)])
                self.sleep(random.uniform(0, 0.05))
            except OSError:
                pass
            finally:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                s.close()
            self.resetter.add(cycles=1)
            self.sleep(0.02)

    # ---- fd burst --------------------------------------------------------------------------------------------
    def burster(self):
        a = self.a
        next_at = self.t0 + a.burst_first
        while self.running():
            if now() < next_at:
                self.sleep(next_at - now())
                continue
            if now() + a.burst_hold + 10 > self.deadline:
                break
            next_at += a.burst_every
            self.one_burst()

    def one_burst(self):
        a = self.a
        with self.burst_lock:
            entry = [now(), None]
            self.bursts.append(entry)
        self.burst.add(bursts=1)
        sel = selectors.DefaultSelector()
        socks, pending = [], 0
        try:
            for _ in range(a.burst_conns):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                socks.append(s)
                err = s.connect_ex(self.addr)
                if err in (0, 106):
                    continue
                sel.register(s, selectors.EVENT_WRITE)
                pending += 1
            self.burst.add(attempted=len(socks))
            end = now() + 5
            while pending and now() < end and not self.stop.is_set():
                for key, _ in sel.select(timeout=0.5):
                    sel.unregister(key.fileobj)
                    pending -= 1
            connected = 0
            for s in socks:
                try:
                    s.getpeername()
                    connected += 1
                except OSError:
                    pass
            self.burst.add(connected=connected, connect_timeouts=pending)
            hold_end = now() + a.burst_hold
            while now() < hold_end and self.running():
                self.stop.wait(0.5)
            alive = 0
            for s in socks:
                try:
                    s.getpeername()
                    s.recv(1)
                    # data or FIN: counted as not alive
                except BlockingIOError:
                    alive += 1
                except OSError:
                    pass
            self.burst.add(alive_at_release=alive, refused_or_reset=len(socks) - alive)
        finally:
            for s in socks:
                s.close()
            sel.close()
            with self.burst_lock:
                entry[1] = now()
        self.probe()

    def probe(self):
        """After a burst: a fresh connection must be accepted and echoed within PROBE_TIMEOUT s."""
        start = now()
        end = start + self.a.probe_timeout
        last = None
        while now() < end and not self.stop.is_set():
            try:
                s = self.connect(timeout=2)
                try:
                    s.sendall(HDR.pack(5) + b"probe")
                    got = self.recv_exact(s, 9, now() + 2)
                finally:
                    s.close()
                if got == HDR.pack(5) + b"probe":
                    took = now() - start
                    self.burst.add(probe_ok=1)
                    self.burst.maxed(max_probe_seconds=took)
                    return
                last = f"reply {got!r}"
            except (OSError, InterruptedError) as e:
                last = repr(e)
            self.sleep(0.25)
        if not self.stop.is_set():
            self.burst.add(probe_failed=1)
            self.fail("burst", f"no echo on a fresh connection within {self.a.probe_timeout} s after a burst ({last})")

    # ---- sampler ---------------------------------------------------------------------------------------------
    def server_state(self):
        try:
            with open(f"/proc/{self.a.pid}/status") as f:
                st = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            return None
        if st.get("State", "").strip().startswith(("Z", "X")):
            return None
        rss = int(st.get("VmRSS", "0 kB").split()[0]) / 1024.0
        try:
            fds = len(os.listdir(f"/proc/{self.a.pid}/fd"))
        except OSError:
            fds = -1
        return rss, fds, int(st.get("Threads", "0").strip())

    def server_conns(self):
        """ESTABLISHED TCP sockets whose local port is the server's (from /proc/net/tcp, IPv4)."""
        port = f"{self.a.port:04X}"
        n = 0
        try:
            with open("/proc/net/tcp") as f:
                next(f)
                for line in f:
                    parts = line.split(None, 4)
                    if parts[1].endswith(":" + port) and parts[3] == "01":
                        n += 1
        except OSError:
            return -1
        return n

    def sampler(self, csv):
        last_msgs = 0
        csv.write("t_s,rss_mib,fds,conns,threads,in_burst,good_msgs,good_msgs_interval,interval_max_latency_ms,"
                  "slow_resets,trickle_resets,bad_closed,resetter_cycles,good_failures\n")
        while True:
            st = self.server_state()
            t = self.t()
            if st is None:
                self.fail("server", f"the server process {self.a.pid} is gone (died) at {t:.1f} s")
                self.stop.set()
                return
            rss, fds, threads = st
            conns = self.server_conns()
            g = self.good.snapshot()
            m = g["messages"]
            imax, self.interval_max_us = self.interval_max_us, 0.0
            row = dict(t=t, rss=rss, fds=fds, conns=conns, threads=threads, burst=int(self.in_burst()))
            self.samples.append(row)
            csv.write(f"{t:.1f},{rss:.1f},{fds},{conns},{threads},{row['burst']},{m},{m - last_msgs},{imax / 1000:.2f},"
                      f"{self.slow.resets + self.slow.closes},{self.trickle.resets + self.trickle.closes},"
                      f"{self.bad.closed},{self.resetter.cycles},{len(self.failures)}\n")
            csv.flush()
            last_msgs = m
            if not self.running():
                return
            self.stop.wait(min(self.a.sample, max(0.05, self.deadline - now())))

    # ---- run ---------------------------------------------------------------------------------------------------
    def run(self):
        a = self.a
        threads = []

        def spawn(fn, *args):
            th = threading.Thread(target=fn, args=args, daemon=True, name=f"{fn.__name__}{args}")
            th.start()
            threads.append(th)

        csv = open(os.path.join(a.out, "samples.csv"), "w")
        sampler = threading.Thread(target=self.sampler, args=(csv,), daemon=True)
        sampler.start()
        for i in range(a.good):
            spawn(self.good_client, i)
        for i in range(a.slow):
            spawn(self.slow_client, i)
        for i in range(a.trickle):
            spawn(self.trickle_client, i)
        for i in range(a.bad):
            spawn(self.bad_client, i)
        for i in range(a.resetters):
            spawn(self.resetter_client, i)
        if a.burst_conns > 0:
            spawn(self.burster)
        interrupted = False
        try:
            while self.running():
                self.stop.wait(0.5)
                if self.stop.is_set():
                    break
                if not sampler.is_alive():
                    break
        except KeyboardInterrupt:
            interrupted = True
            self.fail("run", "interrupted (Ctrl-C)")
        self.stop.set()
        grace = now() + a.grace
        for th in threads:
            th.join(max(0.1, grace - now()))
        stuck = [th.name for th in threads if th.is_alive()]
        sampler.join(2)
        csv.close()
        with self.hist_lock:
            hist = dict(self.hist)
        load = dict(
            duration_s=a.duration, elapsed_s=self.t(), interrupted=interrupted, port=a.port, pid=a.pid,
            config={k: v for k, v in vars(a).items() if k not in ("cmd",)},
            failures=self.failures, stuck_threads=stuck,
            good=self.good.snapshot(), slow=self.slow.snapshot(), trickle=self.trickle.snapshot(),
            bad=self.bad.snapshot(), resetter=self.resetter.snapshot(), burst=self.burst.snapshot(),
            bursts=[[round(s - self.t0, 1), round((r or now()) - self.t0, 1)] for s, r in self.bursts],
            latency_hist={str(k): v for k, v in sorted(hist.items())},
            samples=self.samples,
        )
        with open(os.path.join(a.out, "load.json"), "w") as f:
            json.dump(load, f)
        return 130 if interrupted else 0


# ---- report ------------------------------------------------------------------------------------------------------
def quantile(hist, q):
    total = sum(hist.values())
    if not total:
        return None
    want = q * total
    acc = 0
    for k in sorted(hist):
        acc += hist[k]
        if acc >= want:
            return math.exp((k + 0.5) / HIST_SCALE)
    return math.exp((max(hist) + 0.5) / HIST_SCALE)


def median(xs):
    xs = sorted(xs)
    return None if not xs else (xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2)


def slope_mib_per_min(samples):
    if len(samples) < 3:
        return 0.0
    ts = [s["t"] for s in samples]
    rs = [s["rss"] for s in samples]
    mt, mr = sum(ts) / len(ts), sum(rs) / len(rs)
    var = sum((t - mt) ** 2 for t in ts)
    return 0.0 if var == 0 else 60 * sum((t - mt) * (r - mr) for t, r in zip(ts, rs)) / var


def report(a):
    with open(os.path.join(a.out, "load.json")) as f:
        load = json.load(f)
    failures = [f"[{k}] at {t:.1f}s: {m}" for t, k, m in load["failures"]]
    samples = load["samples"]
    hist = {int(k): v for k, v in load["latency_hist"].items()}
    g = load["good"]
    rss = [s["rss"] for s in samples]
    dur = load["elapsed_s"]
    middle = [s["rss"] for s in samples if dur / 3 <= s["t"] < 2 * dur / 3]
    last = [s["rss"] for s in samples if s["t"] >= 2 * dur / 3]
    last_min = [s for s in samples if s["t"] >= dur - min(60, dur / 3)]
    growth = (median(last) - median(middle)) if middle and last else 0.0
    rss_max = max(rss) if rss else 0.0
    ceiling = a.max_memory_mib + a.rss_allowance_mib
    if a.server_exit != 0:
        failures.append(f"[server] exited with code {a.server_exit} after SIGINT (expected 0)"
                        + (" (killed: did not stop within the stop timeout)" if a.server_exit in (137, 124) else ""))
    if growth > a.rss_growth_mib:
        failures.append(f"[memory] RSS median grew {growth:.1f} MiB from the middle third to the last third (limit {a.rss_growth_mib} MiB)")
    if rss_max > ceiling:
        failures.append(f"[memory] RSS reached {rss_max:.1f} MiB, over --max-memory {a.max_memory_mib} MiB + {a.rss_allowance_mib} MiB allowance")
    if load["stuck_threads"]:
        failures.append(f"[driver] {len(load['stuck_threads'])} client threads did not stop in time: {load['stuck_threads'][:5]}")
    if g["messages"] == 0:
        failures.append("[good] no good message was echoed at all")
    fds = [s["fds"] for s in samples]
    conns = [s["conns"] for s in samples]
    p50, p99 = quantile(hist, 0.5), quantile(hist, 0.99)
    summary = dict(
        verdict="PASS" if not failures else "FAIL",
        failures=failures,
        duration_s=load["duration_s"], elapsed_s=dur, server_exit=a.server_exit,
        samples=len(samples),
        rss_mib=dict(start=rss[0] if rss else None, min=min(rss) if rss else None, median=median(rss), max=rss_max,
                     end=rss[-1] if rss else None, middle_third_median=median(middle), last_third_median=median(last),
                     growth_last_vs_middle=round(growth, 1), last_minute_slope_mib_per_min=round(slope_mib_per_min(last_min), 2)),
        fds=dict(start=fds[0] if fds else None, max=max(fds) if fds else None, end=fds[-1] if fds else None),
        conns=dict(max=max(conns) if conns else None, end=conns[-1] if conns else None),
        good=dict(g, latency_ms=dict(p50=p50 and round(p50 / 1000, 3), p99=p99 and round(p99 / 1000, 3),
                                     max=round(g["max_latency_us"] / 1000, 3)),
                  messages_per_second=round(g["messages"] / dur, 1) if dur else None),
        slow=load["slow"], trickle=load["trickle"], bad=load["bad"], resetter=load["resetter"],
        burst=dict(load["burst"], windows_s=load["bursts"]),
        config=load["config"],
    )
    summary["good"].pop("max_latency_us", None)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    r, gl = summary["rss_mib"], summary["good"]
    fmt = lambda v: "-" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
    lines = [
        f"soak: {summary['verdict']}  ({dur:.0f} s, {len(samples)} samples, server exit {a.server_exit})",
        f"  RSS MiB        start {fmt(r['start'])}  min {fmt(r['min'])}  median {fmt(r['median'])}  max {fmt(r['max'])}  end {fmt(r['end'])}",
        f"                 middle-third median {fmt(r['middle_third_median'])}  last-third median {fmt(r['last_third_median'])}"
        f"  growth {r['growth_last_vs_middle']}  last-minute slope {r['last_minute_slope_mib_per_min']} MiB/min",
        f"  fds            start {fmt(summary['fds']['start'])}  max {fmt(summary['fds']['max'])}  end {fmt(summary['fds']['end'])}"
        f"   conns max {fmt(summary['conns']['max'])}",
        f"  good           {gl['messages']} msgs ({fmt(gl['messages_per_second'])}/s), {gl['bytes_verified']} bytes verified,"
        f" lost {gl['lost']} corrupted {gl['corrupted']} timeouts {gl['reply_timeouts']}",
        f"                 latency ms p50 {fmt(gl['latency_ms']['p50'])}  p99 {fmt(gl['latency_ms']['p99'])}  max {fmt(gl['latency_ms']['max'])};"
        f" resets {gl['resets']} (in bursts {gl['burst_resets']}, abandoned {gl['abandoned']})",
        f"  slow readers   connects {summary['slow']['connects']}  resets {summary['slow']['resets']}  closes {summary['slow']['closes']}"
        f"  sent {summary['slow']['bytes_sent']} B  read {summary['slow']['bytes_read']} B",
        f"  tricklers      connects {summary['trickle']['connects']}  resets {summary['trickle']['resets']}  closes {summary['trickle']['closes']}"
        f"  survived {summary['trickle']['survived']}  max time to reset {summary['trickle']['max_time_to_reset']:.1f} s",
        f"  bad frames     oversize {summary['bad']['oversize_sent']}  garbage {summary['bad']['garbage_sent']}  closed {summary['bad']['closed']}"
        f"  reset {summary['bad']['resets']}  not closed: oversize {summary['bad']['not_closed_oversize']} garbage {summary['bad']['not_closed_garbage']}",
        f"  resetters      cycles {summary['resetter']['cycles']}  connect failures {summary['resetter']['connect_failures']}",
        f"  fd bursts      {summary['burst']['bursts']} x {a_conns(summary)}: connected {summary['burst']['connected']}"
        f"  timed out {summary['burst']['connect_timeouts']}  alive at release {summary['burst']['alive_at_release']}"
        f"  probes ok {summary['burst']['probe_ok']} failed {summary['burst']['probe_failed']} (max {summary['burst']['max_probe_seconds']:.1f} s)",
    ]
    lines += [f"  FAIL: {m}" for m in failures[:20]]
    if len(failures) > 20:
        lines.append(f"  ... and {len(failures) - 20} more (summary.json)")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(a.out, "summary.txt"), "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0 if not failures else 1


def a_conns(summary):
    return summary["config"].get("burst_conns")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    l = sub.add_parser("load")
    l.add_argument("--port", type=int, required=True)
    l.add_argument("--pid", type=int, required=True)
    l.add_argument("--out", required=True)
    for name, typ, default in [("duration", float, 600), ("sample", float, 2), ("good", int, 20), ("slow", int, 10),
                               ("trickle", int, 10), ("bad", int, 2), ("resetters", int, 2), ("burst_conns", int, 1200),
                               ("burst_first", float, 20), ("burst_every", float, 60), ("burst_hold", float, 10),
                               ("burst_grace", float, 5), ("probe_timeout", float, 15), ("reply_timeout", float, 10),
                               ("frame_timeout", float, 5), ("trickle_slack", float, 5), ("max_frame", int, 1 << 20),
                               ("grace", float, 15)]:
        l.add_argument("--" + name.replace("_", "-"), dest=name, type=typ, default=default)
    r = sub.add_parser("report")
    r.add_argument("--out", required=True)
    r.add_argument("--server-exit", type=int, required=True)
    r.add_argument("--max-memory-mib", type=float, default=256)
    r.add_argument("--rss-allowance-mib", type=float, default=200)
    r.add_argument("--rss-growth-mib", type=float, default=32)
    a = p.parse_args()
    if a.cmd == "load":
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        sys.exit(Soak(a).run())
    sys.exit(report(a))


if __name__ == "__main__":
    main()
