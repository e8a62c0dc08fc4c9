using System.Buffers;
using System.Net;
using Sockit.Diagnostics;

namespace Sockit.Cli.Output;

/// <summary><c>--hex</c>: every byte in and out, dumped to stderr with direction, time and stream offset.</summary>
internal sealed class HexTrafficObserver : ITrafficObserver
{
    private static readonly Lock Gate = new();

    public void OnTraffic(EndPoint remote, TrafficDirection direction, long offset, in ReadOnlySequence<byte> data)
    {
        var text = HexDump.Format(direction, DateTimeOffset.UtcNow, remote.ToString() ?? "?", offset, data);
        lock (Gate)
        {
            Console.Error.Write(text);
        }
    }
}
