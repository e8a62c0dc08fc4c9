using System.Net;
using System.Net.Sockets;
using Sockit.Capture;

namespace Sockit.Lessons;

/// <summary>
/// The sockets of a handshake or close lesson (a listener, a client and the accepted server socket on 127.0.0.1)
/// and the record of each call made on them with the kernel's TCP states just after it.
/// </summary>
internal sealed class LessonSockets : IDisposable
{
    private readonly List<LessonStep> _steps = [];

    public LessonSockets(int backlog = 1)
    {
        Listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Record("server", "socket(AF_INET, SOCK_STREAM)", "a listening socket to be");
        Listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)Listener.LocalEndPoint!).Port;
        Record("server", "bind(('127.0.0.1', 0))", $"bound to 127.0.0.1:{Port} (port 0: the kernel picked one)");
        Listener.Listen(backlog);
        Record("server", $"listen({backlog})", "the kernel now answers SYNs on this port", "LISTEN: the kernel completes handshakes for this port and queues them for accept()");
        Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    }

    public Socket Listener { get; }

    public Socket Client { get; }

    public Socket? Server { get; private set; }

    public int Port { get; }

    public int ClientPort { get; private set; }

    public IReadOnlyList<LessonStep> Steps => _steps;

    public async Task ConnectAndAcceptAsync(CancellationToken cancellationToken)
    {
        await Client.ConnectAsync(Listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        ClientPort = ((IPEndPoint)Client.LocalEndPoint!).Port;
        Record("client", $"connect(('127.0.0.1', {Port}))", $"connected from 127.0.0.1:{ClientPort}",
            "connect() returns once the SYN, SYN-ACK, ACK are done: on loopback SYN_SENT and SYN_RECV last microseconds, so the kernel already says ESTABLISHED on both sides (the server's side waits in the accept queue)");
        Server = await Listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        Record("server", "accept()", $"a new socket for 127.0.0.1:{ClientPort}", "accept() sends nothing: it takes a finished connection off the queue");
    }

    /// <summary>Records a call and the states of the lesson's sockets that exist now.</summary>
    public void Record(string actor, string call, string result, string? note = null) =>
        _steps.Add(new LessonStep(DateTimeOffset.UtcNow, actor, call, result, States(), note));

    /// <summary>Records a call on some other socket, without states.</summary>
    public void RecordOther(string actor, string call, string result, string? note = null) =>
        _steps.Add(new LessonStep(DateTimeOffset.UtcNow, actor, call, result, [], note));

    /// <summary>Polls the kernel (every 2 ms, at most <paramref name="timeout"/>) until <paramref name="done"/> holds for the client's and server's states.</summary>
    public async Task<bool> WaitForStatesAsync(Func<TcpState, TcpState, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var table = TcpSocketTable.Read();
            if (done(TcpSocketTable.StateOf(table, ClientPort, Port), TcpSocketTable.StateOf(table, Port, ClientPort)))
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        Server?.Dispose();
        Client.Dispose();
        Listener.Dispose();
    }

    private List<SocketStateReading> States()
    {
        var table = TcpSocketTable.Read();
        var states = new List<SocketStateReading>();
        if (Port != 0)
        {
            states.Add(new("listener", TcpStateNames.Name(TcpSocketTable.StateOf(table, Port, 0))));
        }

        if (ClientPort != 0)
        {
            states.Add(new("client", TcpStateNames.Name(TcpSocketTable.StateOf(table, ClientPort, Port))));
            states.Add(new("server", TcpStateNames.Name(TcpSocketTable.StateOf(table, Port, ClientPort))));
        }

        return states;
    }
}
