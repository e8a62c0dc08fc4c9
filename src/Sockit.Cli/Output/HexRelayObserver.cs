using System.Buffers;
using System.Globalization;
using Sockit.Diagnostics;
using Sockit.Services;

namespace Sockit.Cli.Output;

/// <summary>
/// <c>forward --hex</c>: every byte relayed each way on one forwarded connection, dumped to stderr under a heading
/// <c>&gt; TIME #ID client>target offset=N length=N</c> (<c>&lt;</c> for target>client). Over TLS these are the plaintext.
/// </summary>
internal sealed class HexRelayObserver(long sessionId) : IRelayObserver
{
    private static readonly Lock Gate = new();

    public void OnData(RelayDirection direction, long offset, in ReadOnlySequence<byte> data)
    {
        var arrow = direction == RelayDirection.ClientToTarget ? '>' : '<';
        var heading = string.Create(CultureInfo.InvariantCulture,
            $"{arrow} {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.ffffffZ} #{sessionId} {direction.ToLabel()} offset={offset} length={data.Length}");
        var text = HexDump.Format(heading, offset, data);
        lock (Gate)
        {
            Console.Error.Write(text);
        }
    }

    public void OnEnd(RelayDirection direction, bool clean)
    {
    }
}
