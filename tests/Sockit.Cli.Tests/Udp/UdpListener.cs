using System.Globalization;
using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Udp;

/// <summary><c>sockit listen --udp 127.0.0.1:0 OPTIONS</c> with the python peers a test talks to it through.</summary>
internal sealed class UdpListener : IAsyncDisposable
{
    private readonly List<PythonPeer> _peers = [];

    private UdpListener(SockitProcess server, string port)
    {
        Server = server;
        Port = port;
    }

    public SockitProcess Server { get; }

    /// <summary>The port the listener printed.</summary>
    public string Port { get; }

    public static async Task<UdpListener> StartAsync(params string[] options)
    {
        var server = SockitProcess.Start(["listen", "--udp", "127.0.0.1:0", .. options]);
        try
        {
            return new UdpListener(server, (await server.WaitForListeningPortAsync()).ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A python peer (<see cref="UdpScripts.Client"/>) aimed at this listener, and its own port.</summary>
    public async Task<(PythonPeer Peer, string Port)> AddPythonPeerAsync()
    {
        var peer = PythonPeer.Start(UdpScripts.Client, Port);
        _peers.Add(peer);
        return (peer, await peer.ReadLineAsync());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
