namespace Sockit.Cli.Tests.Udp;

/// <summary>The python3 peers the UDP tests run: plain <c>socket.SOCK_DGRAM</c>, <c>sendto</c>/<c>recvfrom</c>.</summary>
internal static class UdpScripts
{
    /// <summary>
    /// ARGS: PORT PEERS ROUNDS. PEERS sockets each send one datagram a round to 127.0.0.1:PORT and wait for it to
    /// come back; a datagram not answered in 2 s is sent again (UDP may drop; the count is printed). Prints JSON:
    /// answered, wrong (a reply carrying another peer's datagram, or from another address), resent, missing.
    /// </summary>
    public const string ManyPeers = """
        import json, select, socket, sys, time
        port, n, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
        server = ('127.0.0.1', port)
        socks = []
        for i in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('127.0.0.1', 0))
            s.setblocking(False)
            socks.append(s)
        index = {s: i for i, s in enumerate(socks)}
        answered = wrong = resent = missing = 0
        deadline = time.monotonic() + 45
        for r in range(rounds):
            pending = {i: b'peer%d round%d' % (i, r) for i in range(n)}
            attempt = 0
            while pending and attempt < 5 and time.monotonic() < deadline:
                for i, msg in pending.items():
                    socks[i].sendto(msg, server)
                if attempt:
                    resent += len(pending)
                attempt += 1
                until = time.monotonic() + 2
                while pending and time.monotonic() < until:
                    ready, _, _ = select.select([socks[i] for i in pending], [], [], 0.2)
                    for s in ready:
                        i = index[s]
                        while True:
                            try:
                                data, src = s.recvfrom(2048)
                            except BlockingIOError:
                                break
                            if src != server or not data.startswith(b'peer%d ' % i):
                                wrong += 1
                            elif data == pending.get(i):
                                del pending[i]
                                answered += 1
            missing += len(pending)
        print(json.dumps({'answered': answered, 'wrong': wrong, 'resent': resent, 'missing': missing}))
        """;

    /// <summary>ARGS: COUNT. Binds 127.0.0.1:0, prints the port, answers COUNT datagrams with their upper case, prints "done".</summary>
    public const string UpperCaseServer = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('127.0.0.1', 0))
        print(s.getsockname()[1], flush=True)
        s.settimeout(30)
        for _ in range(int(sys.argv[1])):
            data, src = s.recvfrom(65535)
            print('got %r from %s:%d' % (data, src[0], src[1]), flush=True)
            s.sendto(data.upper(), src)
        print('done', flush=True)
        """;

    /// <summary>
    /// ARGS: PORT. Binds 127.0.0.1:0, prints its port, then reads commands from stdin: "send TEXT" sends TEXT to
    /// 127.0.0.1:PORT, "recv" prints the next datagram received (5 s at most) as "TEXT from HOST:PORT".
    /// </summary>
    public const string Client = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('127.0.0.1', 0))
        s.settimeout(10)
        print(s.getsockname()[1], flush=True)
        for line in sys.stdin:
            cmd, _, arg = line.rstrip('\n').partition(' ')
            if cmd == 'send':
                s.sendto(arg.encode(), ('127.0.0.1', int(sys.argv[1])))
                print('sent', flush=True)
            elif cmd == 'sendhex':
                s.sendto(bytes.fromhex(arg), ('127.0.0.1', int(sys.argv[1])))
                print('sent', flush=True)
            elif cmd == 'recv':
                try:
                    data, src = s.recvfrom(65535)
                    print('%s from %s:%d' % (data.decode(errors='backslashreplace'), src[0], src[1]), flush=True)
                except socket.timeout:
                    print('timeout', flush=True)
        """;

    /// <summary>
    /// Binds 127.0.0.1:0, prints the port, then returns every datagram unchanged to its sender and prints
    /// "got DATA from HOST:PORT" for each (for 60 s of silence at most).
    /// </summary>
    public const string EchoTarget = """
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('127.0.0.1', 0))
        print(s.getsockname()[1], flush=True)
        s.settimeout(60)
        while True:
            data, src = s.recvfrom(65535)
            print('got %s from %s:%d' % (data.decode(errors='backslashreplace'), src[0], src[1]), flush=True)
            s.sendto(data, src)
        """;
}
