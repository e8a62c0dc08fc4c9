using System.Buffers;
using Sockit.Framing;
using Sockit.Tcp;

namespace Sockit.Services;

/// <summary>
/// <c>listen --mode stdio</c>: every client's frames go to one <see cref="FramePrinter"/> (stdout), and
/// <see cref="Broadcast"/> sends a message (a stdin line) to every connected client.
/// </summary>
public sealed class RelayService(FrameSpec spec, FramingOptions? framing, FramePrinter printer) : ITcpConnectionHandler
{
    private readonly Fanout _fanout = new(spec);

    /// <inheritdoc />
    public ValueTask HandleAsync(TcpConnection connection, CancellationToken stopping) =>
        _fanout.ServeMemberAsync(connection, spec.CreateDecoder(framing), frame => printer.PrintAsync(frame, stopping), stopping);

    /// <summary>Sends <paramref name="payload"/> as one frame to every connected client.</summary>
    public void Broadcast(in ReadOnlySequence<byte> payload) => _fanout.Send(payload);
}
