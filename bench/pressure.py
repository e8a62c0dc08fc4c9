#!/usr/bin/env python3
"""The figures of docs/reliability.md, measured against the built `sockit` on loopback.

    python3 bench/pressure.py              # every figure (about 3 minutes)
    python3 bench/pressure.py trickle idle # some of them: trickle idle nonreaders fdlimit relay broker

Each figure starts its own `sockit listen 127.0.0.1:0 ...`, reads the port from the listening line, measures the
server's RSS from /proc/PID/status, and stops the server (SIGINT, then the exit code is checked). Every wait is
bounded; every process started is stopped on the way out. Prints one Markdown table row per figure.
"""
import hashlib, os, resource, signal, socket, struct, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOCKIT = os.environ.get("SOCKIT", os.path.join(ROOT, "src/Sockit.Cli/bin/Release/net10.0/sockit"))
ROWS = []


class Server:
    def __init__(self, *args, limit=None, stdin=None):
        def preexec():
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if limit:
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
        self.proc = subprocess.Popen([SOCKIT, "listen", "127.0.0.1:0", *args], stdin=stdin or subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec)
        line = self.proc.stderr.readline().decode()
        if "listening on" not in line:
            raise SystemExit("server did not start: " + line)
        self.port = int(line.split("127.0.0.1:")[1].split()[0])
        self.err = []
        threading.Thread(target=lambda: self.err.extend(l.decode() for l in self.proc.stderr), daemon=True).start()

    def rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def fds(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return "killed"

    def __enter__(self):
        return self

    def __exit__(self, *_):
        if self.alive():
            self.proc.kill()


def connect(port, rcvbuf=None):
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(30)
    s.connect(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def settle(server, seconds=2.0):
    time.sleep(seconds)  # measuring, not synchronising: let the GC and the kernel settle before reading RSS
    return server.rss_mib()


def row(figure, result, ok):
    ROWS.append(f"| {figure} | {result} | {'yes' if ok else '**no**'} |")
    print(ROWS[-1], flush=True)


def trickle():
    for spec, header in (("length", struct.pack("!I", 1_000_000)), ("line", b""), ("delim:\\0", b"")):
        with Server("--mode", "echo", "--framing", spec) as server:
            before = settle(server)
            s = connect(server.port)
            s.sendall(header)
            for _ in range(600_000):
                s.send(b"x")
            peak = settle(server)
            s.close()
            after = settle(server)
            code = server.stop()
        row(f"600,000 bytes of one `{spec}` frame, one send() per byte",
            f"RSS {before:.0f} → {peak:.0f} MiB (+{peak - before:.1f}); {after:.0f} MiB after it left; exit {code}",
            peak - before < 32 and code == 0)


def idle():
    with Server("--mode", "echo") as server:
        before = settle(server)
        clients = []
        for i in range(5000):
            s = connect(server.port)
            if i % 100 == 0:
                s.sendall(b"hi")
                s.recv(2)
            clients.append(s)
        held = settle(server, 3)
        for s in clients:
            s.close()
        code = server.stop()
    row("5,000 idle connections", f"RSS {before:.0f} → {held:.0f} MiB (+{held - before:.1f}); exit {code}", held - before < 40 and code == 0)


def nonreaders():
    budget = 64
    with Server("--mode", "echo", "--max-memory", f"{budget}MiB") as server:
        before = settle(server)
        clients, peak = [], 0.0
        stop = time.time() + 20
        def flood(s):
            chunk = b"x" * 65536
            try:
                while time.time() < stop:
                    s.sendall(chunk)
            except OSError:
                pass
        threads = []
        for _ in range(100):
            s = connect(server.port, rcvbuf=16384)
            s.settimeout(2)
            clients.append(s)
            t = threading.Thread(target=flood, args=(s,), daemon=True)
            t.start()
            threads.append(t)
        while time.time() < stop:
            peak = max(peak, server.rss_mib())
            time.sleep(0.2)
        for t in threads:
            t.join(5)
        for s in clients:
            s.close()
        left = time.time()
        back = None
        while time.time() - left < 90:
            if server.rss_mib() < before + 40:
                back = time.time() - left
                break
            time.sleep(1)
        resets = sum("slow consumer" in l for l in server.err)
        code = server.stop()
    row(f"100 clients sending, never reading, `--max-memory {budget}MiB`",
        f"RSS {before:.0f} → peak {peak:.0f} MiB; back within 40 MiB of fresh {back:.0f} s after they left" if back is not None
        else f"RSS {before:.0f} → peak {peak:.0f} MiB; not back within 90 s", back is not None and back <= 60 and code == 0)


def fdlimit():
    for limit in (128, 1024):
        for run in range(3):
            with Server("--mode", "echo", limit=limit) as server:
                held = []
                for _ in range(limit + 200):
                    try:
                        held.append(connect(server.port))
                    except OSError:
                        pass
                peak_fds = server.fds()
                time.sleep(15)  # the pressure: more clients than descriptors, held
                alive = server.alive()
                for s in held:
                    s.close()
                served = False
                deadline = time.time() + 20
                while not served and time.time() < deadline:
                    try:
                        s = connect(server.port)
                        s.sendall(b"ping")
                        served = s.recv(4) == b"ping"
                        s.close()
                    except OSError:
                        time.sleep(0.2)
                code = server.stop()
            row(f"`ulimit -n {limit}`, {limit + 200} clients held 15 s (run {run + 1})",
                f"alive {alive}, server fds ≤ {peak_fds}, new client served {served}, exit {code}", alive and served and code == 0)


def relay():
    data = os.urandom(20_000_000)
    with open("/tmp/sockit-pressure-20MB", "wb") as f:
        f.write(data)
    with open("/tmp/sockit-pressure-20MB", "rb") as stdin, Server("--once", stdin=stdin) as server:
        s = connect(server.port)
        got, h = 0, hashlib.sha256()
        start = time.time()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += len(chunk)
            h.update(chunk)
            time.sleep(0.004)  # a slow reader: 64 KiB reads 4 ms apart
        code = server.stop()
    ok = got == len(data) and h.digest() == hashlib.sha256(data).digest() and code == 0
    row("20,000,000 bytes of stdin through `listen --once` to a slow reader",
        f"{got:,} bytes, sha256 {'matches' if ok else 'differs'}, EOF after {time.time() - start:.1f} s, exit {code}", ok)


def broker():
    with Server("--mode", "broker", "--framing", "length", "--slow-consumer-timeout", "2s") as server:
        readers = [connect(server.port) for _ in range(3)]
        sleeper = connect(server.port, rcvbuf=16384)
        sender = connect(server.port)
        time.sleep(0.5)  # all joined before the first frame
        total, frame = 30_000_000, os.urandom(60_000)
        results = [None] * 3
        def read(i, s):
            h, got = hashlib.sha256(), 0
            while got < total:
                (n,) = struct.unpack("!I", recv_exactly(s, 4))
                payload = recv_exactly(s, n)
                h.update(payload)
                got += n
            results[i] = h.digest()
        threads = [threading.Thread(target=read, args=(i, s), daemon=True) for i, s in enumerate(readers)]
        for t in threads:
            t.start()
        expect = hashlib.sha256()
        for _ in range(total // len(frame)):
            sender.sendall(struct.pack("!I", len(frame)) + frame)
            expect.update(frame)
        for t in threads:
            t.join(60)
        reset = False
        try:
            sleeper.settimeout(10)
            while sleeper.recv(65536):
                pass
        except ConnectionResetError:
            reset = True
        code = server.stop()
    ok = all(r == expect.digest() for r in results) and reset and code == 0
    row("30 MB through a broker to 3 readers and 1 member that never reads",
        f"readers: {sum(r == expect.digest() for r in results)}/3 got every byte; the non-reader saw {'a reset' if reset else 'no reset'}; exit {code}", ok)


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("closed")
        data += chunk
    return data


FIGURES = {"trickle": trickle, "idle": idle, "nonreaders": nonreaders, "fdlimit": fdlimit, "relay": relay, "broker": broker}

if __name__ == "__main__":
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    chosen = sys.argv[1:] or list(FIGURES)
    print("| figure | measured | goal met |\n|---|---|---|", flush=True)
    for name in chosen:
        try:
            FIGURES[name]()
        except Exception as e:  # a figure that cannot even be measured is a failed figure, and the rest still run
            row(f"{name}", f"could not be measured: {e.__class__.__name__}: {e}", False)
    sys.exit(0 if all("**no**" not in r for r in ROWS) else 1)
