using System.Text.RegularExpressions;
using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tls;

namespace Sockit.Cli.Tests.Unix;

/// <summary>Every <c>sockit listen</c> mode over a Unix socket and over TLS: one short exchange each with python3 clients.</summary>
public sealed class ModesOverUnixAndTlsTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var transport in new[] { "unix", "tls" })
        {
            foreach (var mode in new[] { "echo", "chat", "broker", "sink", "stdio" })
            {
                data.Add(transport, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachModeServesOneShortExchange(string transport, string mode)
    {
        string[] framing = mode switch
        {
            "broker" => ["--framing", "length"],
            "sink" or "stdio" => ["--framing", "line"],
            _ => [],
        };
        var path = TlsCli.UnixPath();
        await using var server = transport == "unix"
            ? await TlsCli.ListenUnixAsync("unix:" + path, ["--mode", mode, .. framing])
            : await TlsCli.ListenAsync(["--mode", mode, .. framing]);
        var target = transport == "unix" ? "unix:" + path : $"tls:127.0.0.1:{server.Port}";

        switch (mode)
        {
            case "echo":
                Assert.Equal("ping\n", await TlsCli.PythonClientAsync(target, """
                    s = connect()
                    s.sendall(b'ping\n')
                    print(recv_line(s).decode(), end='')
                    bye(s)
                    """));
                break;

            case "chat":
                Assert.Equal("hi there\n", await TlsCli.PythonClientAsync(target, """
                    a, b = connect(), connect()
                    # Both are in the room once a hears one of b's lines.
                    repeat_until(lambda: b.sendall(b'sync\n'), a, recv_line, b'] sync')
                    b.sendall(b'hi there\n')
                    while True:
                        line = recv_line(a).decode()
                        if not line.endswith('] sync\n'):
                            break
                    print(line.split('] ', 1)[1], end='')
                    bye(a); bye(b)
                    """));
                break;

            case "broker":
                Assert.Equal("ok\n", await TlsCli.PythonClientAsync(target, """
                    a, b = connect(), connect()
                    repeat_until(lambda: a.sendall(frame(b'sync')), b, recv_frame, b'sync')
                    payload = bytes(range(256)) + b'\n\x00'
                    a.sendall(frame(payload))
                    while True:
                        f = recv_frame(b)
                        if f != b'sync':
                            break
                    assert f == payload, f
                    print('ok')
                    bye(a); bye(b)
                    """));
                break;

            case "sink":
                await TlsCli.PythonClientAsync(target, """
                    s = connect()
                    s.sendall(b'a\nbb\nccc\n')
                    bye(s)
                    """);
                await server.WaitForStdoutAsync("\n");
                Assert.Matches(@"^\S.*: 9 bytes, 3 frames in [\d.]+ s \([\d.]+ MiB/s\)\n$", server.Stdout);
                break;

            case "stdio":
                await using (var client = TlsCli.StartPython(target, """
                    s = connect()
                    s.sendall(b'from the client\n')
                    print(recv_line(s).decode(), end='')
                    s.close()  # not bye(): stdio keeps its side open after the client's close_notify, unwrap() would wait
                    """))
                {
                    await server.WaitForStdoutAsync("from the client\n"); // the client is connected and joined now
                    await server.WriteInputAsync("from stdin\n");
                    await client.WaitForStdoutAsync("from stdin\n");
                    Assert.Equal(0, await client.WaitForExitAsync());
                }

                Assert.Equal("from the client\n", server.Stdout);
                break;
        }
    }
}
