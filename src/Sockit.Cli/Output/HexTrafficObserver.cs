using System.Buffers;
using Sockit.Connections;
using Sockit.Diagnostics;

namespace Sockit.Cli.Output;

/// <summary><c>--hex</c>: every byte in and out, dumped to stderr with direction, time and stream offset.</summary>
internal sealed class HexTrafficObserver : ITrafficObserver
{
    private static readonly Lock Gate = new();

    public void OnTraffic(Connection connection, TrafficDirection direction, long offset, in ReadOnlySequence<byte> data)
    {
        // Over TLS the dump is of the application's bytes, before encryption and after decryption: say so.
        var peer = connection is TlsConnection ? connection + " (tls plaintext)" : connection.ToString();
        var text = HexDump.Format(direction, DateTimeOffset.UtcNow, peer, offset, data);
        lock (Gate)
        {
            Console.Error.Write(text);
        }
    }
}
