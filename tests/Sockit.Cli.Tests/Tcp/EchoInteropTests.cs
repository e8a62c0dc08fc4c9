namespace Sockit.Cli.Tests.Tcp;

/// <summary><c>sockit listen --mode echo</c> against the course's clients: nc, and python3's socket module.</summary>
public sealed class EchoInteropTests
{
    [Fact]
    public async Task NetcatPingGetsPingBack()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        Assert.Equal("ping\n", await TcpCli.NetcatAsync(server.Port, "ping\n"));
    }

    [Fact]
    public async Task PythonClientsOneAfterAnotherAreAllServedInRaw()
    {
        // The homework: the server keeps serving after a client leaves.
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            for i in range(3):
                s = connect()
                message = ('hello %d' % i).encode()
                s.sendall(message)
                print(recv_exactly(s, len(message)).decode())
                s.close()
            """);

        Assert.Equal("hello 0\nhello 1\nhello 2\n", stdout);
    }

    [Fact]
    public async Task PythonClientsAtOnceEachGetTheirOwnBytesBackInRaw()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            clients = [connect() for _ in range(8)]
            for i, s in enumerate(clients):
                s.sendall(b'client %d says hi;' % i)
            for i, s in enumerate(clients):
                s.sendall(b'client %d says bye' % i)
                s.shutdown(socket.SHUT_WR)
            for i, s in enumerate(clients):
                assert recv_until_eof(s) == b'client %d says hi;client %d says bye' % (i, i), i
                s.close()
            print('ok')
            """);

        Assert.Equal("ok\n", stdout);
    }

    [Fact]
    public async Task PythonLinesComeBackOneByOneInLineFraming()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--framing", "line");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            s = connect()
            s.sendall(b'first\nsecond\r\nthi')
            s.sendall(b'rd\n')
            for _ in range(3):
                print(recv_line(s).decode(), end='')
            s.close()
            """);

        // A \r before the \n is dropped by line framing; the echo writes lines back with \n.
        Assert.Equal("first\nsecond\nthird\n", stdout);
    }

    [Fact]
    public async Task PythonStructPackedFramesComeBackByteExactInLengthFraming()
    {
        await using var server = await TcpCli.ListenAsync("--mode", "echo", "--framing", "length");

        var stdout = await TcpCli.PythonClientAsync(server.Port, """
            payloads = [b'', b'x', bytes(range(256)), b'\n\r\x00' * 100]
            s = connect()
            # All frames in one write: the server must still cut them apart.
            s.sendall(b''.join(frame(p) for p in payloads))
            for p in payloads:
                assert recv_frame(s) == p, p
            # One frame in several writes.
            wire = frame(b'split across writes')
            for i in range(0, len(wire), 3):
                s.sendall(wire[i:i + 3])
            print(recv_frame(s).decode())
            s.close()
            """);

        Assert.Equal("split across writes\n", stdout);
    }
}
