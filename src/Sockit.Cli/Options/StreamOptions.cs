using System.CommandLine;
using Microsoft.Extensions.Logging;
using Sockit.Cli.Output;
using Sockit.Framing;
using Sockit.Connections;

namespace Sockit.Cli.Options;

/// <summary>The options <c>listen</c> and <c>connect</c> share: framing, limits, <c>--hex</c>, <c>-v</c>.</summary>
internal sealed class StreamOptions
{
    public Option<string> Framing { get; } = new("--framing", "-f")
    {
        Description = "How the byte stream is cut into messages: " + FrameSpec.Accepted,
        HelpName = "SPEC",
    };

    public Option<string> MaxFrame { get; } = new("--max-frame")
    {
        Description = "Largest frame accepted, checked on the header (e.g. 64k, 1MiB)",
        DefaultValueFactory = _ => "1MiB",
        HelpName = "SIZE",
    };

    public Option<BadFramePolicy> OnBadFrame { get; } = new("--on-bad-frame")
    {
        Description = "An oversize frame closes the connection, or is skipped and counted",
        DefaultValueFactory = _ => BadFramePolicy.Close,
    };

    public Option<bool> Hex { get; } = new("--hex", "-x")
    {
        Description = "Dump every byte in and out to stderr: direction, time, offset, hex and ASCII",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Narrate the connection lifecycle on stderr (listen, accept, FIN, reset, close)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Framing);
        command.Options.Add(MaxFrame);
        command.Options.Add(OnBadFrame);
        command.Options.Add(Hex);
        command.Options.Add(Verbose);
    }

    public FrameSpec GetSpec(ParseResult result, FrameSpec fallback)
    {
        var text = result.GetValue(Framing);
        return text is null ? fallback : FrameSpec.Parse(text);
    }

    public FramingOptions GetFramingOptions(ParseResult result)
    {
        var max = ByteSize.Parse(result.GetValue(MaxFrame)!, "--max-frame");
        if (max is < 1 or > int.MaxValue - (1 << 20))
        {
            throw new UsageException($"--max-frame: '{result.GetValue(MaxFrame)}' is out of range (1 byte to 2047 MiB)");
        }

        return new FramingOptions { MaxFrameSize = (int)max, OnBadFrame = result.GetValue(OnBadFrame) };
    }

    public ConnectionOptions GetConnectionOptions(ParseResult result, FramingOptions framing) =>
        ConnectionOptions.Default.ForMaxFrameSize(framing.MaxFrameSize) with
        {
            Observer = result.GetValue(Hex) ? new HexTrafficObserver() : null,
        };

    /// <summary>The <c>-v</c> narration; without <c>-v</c>, only events at <paramref name="quietLevel"/> and above.</summary>
    public StderrLogger GetLogger(ParseResult result, LogLevel quietLevel = LogLevel.Warning) => new(result.GetValue(Verbose), quietLevel);
}
