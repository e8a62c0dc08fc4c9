using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.Addressing;
using Sockit.Cli.Commands;
using Sockit.Connections;
using Sockit.Framing;
using Sockit.Services;

namespace Sockit.Cli.Options;

/// <summary>
/// <c>connect</c>'s client options, nc's and ncat's everyday ones: <c>-4</c>/<c>-6</c>, <c>--source ADDR[:PORT]</c>
/// (nc <c>-s</c>/<c>-p</c>), <c>--crlf</c> and <c>--idle-timeout T</c> (nc <c>-w</c> once connected). TCP, and TLS over
/// TCP; not Unix sockets and not (yet) <c>--udp</c>.
/// </summary>
internal sealed class ClientOptions
{
    private readonly Option<bool> _v4;
    private readonly Option<bool> _v6;

    public ClientOptions() => (_v4, _v6) = FactsOutput.CreateFamilyOptions();

    public Option<string> Source { get; } = new("--source", "-s")
    {
        Description = "Connect from this local address, and port if given (127.0.0.2, 10.0.0.5:40000, [::1]:40000)",
        HelpName = "ADDR[:PORT]",
    };

    public Option<bool> Crlf { get; } = new("--crlf", "-C")
    {
        Description = "Send line ends as CRLF (\\r\\n), for SMTP, HTTP and other CRLF protocols typed by hand",
    };

    public Option<string> IdleTimeout { get; } = new("--idle-timeout", "-i")
    {
        Description = "Close when no byte has gone either way for this long, and exit 0 (as nc -w); default: never",
        HelpName = "T",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_v4);
        command.Options.Add(_v6);
        command.Options.Add(Source);
        command.Options.Add(Crlf);
        command.Options.Add(IdleTimeout);
    }

    /// <summary>
    /// Refuses these options for a transport they do not apply to (<paramref name="transport"/> names it): all of them,
    /// or with <paramref name="addressing"/> false only the stream ones (<c>--crlf</c>, <c>--idle-timeout</c>), for UDP.
    /// </summary>
    /// <exception cref="UsageException">One of them was given.</exception>
    public void RefuseFor(ParseResult result, string transport, bool addressing = true)
    {
        Option[] refused = addressing ? [_v4, _v6, Source, Crlf, IdleTimeout] : [Crlf, IdleTimeout];
        if (refused.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } given)
        {
            throw new UsageException($"{given.Name} is not supported with {transport}");
        }
    }

    /// <summary>The address family and source address for <see cref="SocketConnector"/>.</summary>
    /// <exception cref="UsageException">-4 with -6, a malformed source, or a source of the other family.</exception>
    public SocketConnectOptions GetConnectOptions(ParseResult result)
    {
        var options = new SocketConnectOptions
        {
            AddressFamily = FactsOutput.Family(result, _v4, _v6),
            LocalEndPoint = result.GetValue(Source) is { } source ? ParseSource(source) : null,
        };
        try
        {
            options.RequiredFamily();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("--source: " + CommandRunner.Describe(ex));
        }

        return options;
    }

    /// <summary>CRLF line ends and the idle timeout for the <see cref="ConnectionBridge"/>.</summary>
    /// <exception cref="UsageException">A bad duration, or <c>--crlf</c> with a framing that has no line ends.</exception>
    public ConnectionBridgeOptions GetBridgeOptions(ParseResult result, FrameSpec spec)
    {
        var crlf = result.GetValue(Crlf);
        if (crlf && spec.Kind is not (FrameKind.Raw or FrameKind.Line))
        {
            throw new UsageException($"--crlf: line ends are sent as CRLF with raw or line framing; '{spec}' frames have no line ends");
        }

        var idle = result.GetValue(IdleTimeout) is { } text ? Duration.Parse(text, "--idle-timeout") : Timeout.InfiniteTimeSpan;
        return new ConnectionBridgeOptions
        {
            SendCrlf = crlf,
            IdleTimeout = idle == TimeSpan.Zero ? throw new UsageException($"--idle-timeout: '{result.GetValue(IdleTimeout)}' must be more than 0 (leave it out for no idle timeout)") : idle,
        };
    }

    /// <summary>
    /// <c>ADDR</c> or <c>ADDR:PORT</c>, the address strict (<c>inet_pton</c>: no <c>127.1</c>, no names): <c>127.0.0.2</c>,
    /// <c>127.0.0.1:40000</c>, <c>::1</c>, <c>[::1]:40000</c>. Port 0 (or none) lets the OS choose.
    /// </summary>
    /// <exception cref="UsageException">Anything else; the message names the value.</exception>
    internal static IPEndPoint ParseSource(string text)
    {
        var (address, port) = text switch
        {
            ['[', ..] when text.IndexOf(']', StringComparison.Ordinal) is var close and > 0 =>
                (text[1..close], text[(close + 1)..] is [':', .. var p] ? p : text.Length == close + 1 ? "0" : null),
            _ when text.Count(c => c == ':') == 1 => (text[..text.IndexOf(':', StringComparison.Ordinal)], text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]),
            _ => (text, "0"),
        };
        if (port is null
            || !InetPton.TryParse(address, out var ip)
            || (ip.AddressFamily == AddressFamily.InterNetwork && text.StartsWith('['))
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > IPEndPoint.MaxPort)
        {
            throw new UsageException($"--source: '{text}' is not a local address (write ADDR or ADDR:PORT: 127.0.0.2, 10.0.0.5:40000, ::1, [::1]:40000)");
        }

        return new IPEndPoint(ip, number);
    }
}
