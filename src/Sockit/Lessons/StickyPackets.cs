using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Framing;

namespace Sockit.Lessons;

/// <summary>
/// The course's sticky-packet (粘包) lesson, run for real over loopback: many small messages, each with its
/// own send call, and a receiver calling recv(1024) like the notes' server. With no framing the reads glue
/// messages together and cut them at arbitrary points; with <c>line</c> or <c>length</c> framing every message
/// comes out intact.
/// </summary>
public static class StickyPackets
{
    /// <summary>The receive size the notes use: <c>connfd.recv(1024)</c>.</summary>
    public const int ReceiveSize = 1024;

    /// <summary>The most messages one run sends (they must all fit in the socket buffers).</summary>
    public const int MaxCount = 10_000;

    /// <summary>The messages sent: <c>msg-1</c>, <c>msg-2</c>, … (UTF-8).</summary>
    public static byte[] Message(int index) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"msg-{index}"));

    /// <summary>
    /// Sends <paramref name="count"/> messages with <paramref name="spec"/> framing (none for <c>raw</c>) and
    /// reports how the receiver saw them. The sender finishes before the receiver reads, as when a server is
    /// busy for a moment: exactly when sticky packets bite.
    /// </summary>
    public static async Task<StickyPacketRun> RunAsync(FrameSpec spec, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);

        using var listener = Lesson.LoopbackListener();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!, cancellationToken).ConfigureAwait(false);
        using var server = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);

        var encoder = spec.CreateEncoder();
        var wire = new ArrayBufferWriter<byte>(64);
        for (var i = 1; i <= count; i++)
        {
            wire.ResetWrittenCount();
            encoder.Encode(Message(i), wire);
            await client.SendAsync(wire.WrittenMemory, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        client.Shutdown(SocketShutdown.Send);

        var sizes = new List<int>();
        var firstReads = new List<byte[]>();
        var received = new List<byte>();
        var wholeReads = 0;
        var buffer = new byte[ReceiveSize];
        int n;
        while ((n = await server.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
        {
            sizes.Add(n);
            if (firstReads.Count < 3)
            {
                firstReads.Add(buffer[..n]);
            }

            received.AddRange(buffer.AsSpan(0, n));
            if (spec.Kind == FrameKind.Raw && buffer.AsSpan(0, n).SequenceEqual(Message(sizes.Count)))
            {
                wholeReads++;
            }
        }

        var intact = spec.Kind == FrameKind.Raw ? wholeReads : CountIntact(spec, received.ToArray(), count);
        return new StickyPacketRun(spec, count, sizes.Count, sizes, firstReads, intact);
    }

    private static int CountIntact(FrameSpec spec, byte[] stream, int count)
    {
        var decoder = spec.CreateDecoder();
        var buffer = new ReadOnlySequence<byte>(stream);
        var intact = 0;
        for (var i = 1; i <= count && decoder.Decode(ref buffer, out var frame) == FrameStatus.Frame; i++)
        {
            if (frame.ToArray().AsSpan().SequenceEqual(Message(i)))
            {
                intact++;
            }
        }

        return intact;
    }
}
