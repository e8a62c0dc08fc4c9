using System.Buffers;
using System.IO.Pipelines;
using Sockit.Framing;
using Sockit.Connections;

namespace EchoLab;

/// <summary>
/// The echo of recommendation 3 in docs/performance.md: frames are decoded only to validate them; the bytes of all
/// whole frames of a read are then written back in one piece (for length, varint and fixed framing the reply is
/// byte for byte the request), instead of one re-encoded frame at a time.
/// </summary>
internal sealed class CopyThroughEcho(FrameSpec spec) : IConnectionHandler
{
    public async ValueTask HandleAsync(Connection connection, CancellationToken stopping)
    {
        PipeReader input = connection.Input;
        PipeWriter output = connection.Output;
        var decoder = spec.CreateDecoder();
        while (true)
        {
            var result = await input.ReadAsync(stopping);
            var buffer = result.Buffer;
            var rest = buffer;
            while (decoder.Decode(ref rest, out _) == FrameStatus.Frame)
            {
            }

            var whole = buffer.Slice(0, rest.Start);
            foreach (var segment in whole)
            {
                output.Write(segment.Span);
            }

            input.AdvanceTo(rest.Start, buffer.End);
            if (decoder.Error is not null || result.IsCompleted)
            {
                await output.FlushAsync(CancellationToken.None);
                return;
            }

            if (!whole.IsEmpty && (await output.FlushAsync(CancellationToken.None)).IsCompleted)
            {
                return;
            }
        }
    }
}
