using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Sockit.Framing;

namespace Sockit.Cli.Commands.Udp;

/// <summary>Stdin cut into messages: UTF-8 lines for <c>line</c> (a last line without a newline counts), else frames.</summary>
internal static class StdinMessages
{
    public static async IAsyncEnumerable<byte[]> ReadAsync(FrameSpec spec, FramingOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stdin = Console.OpenStandardInput();
        if (spec.Kind == FrameKind.Line)
        {
            using var reader = new StreamReader(stdin, new UTF8Encoding(false));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                yield return Encoding.UTF8.GetBytes(line);
            }

            yield break;
        }

        var frames = FrameReader.Create(stdin, spec.CreateDecoder(options));
        try
        {
            while (await frames.ReadFrameAsync(cancellationToken))
            {
                yield return frames.Current.ToArray();
            }
        }
        finally
        {
            await frames.CompleteAsync();
        }
    }
}
