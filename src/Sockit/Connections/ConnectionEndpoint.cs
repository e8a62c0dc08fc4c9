using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Sockit.Addressing;

namespace Sockit.Connections;

/// <summary>
/// Where a stream connection goes, as people type it: <c>HOST:PORT</c>, <c>[v6]:PORT</c>, <c>PORT</c> (TCP; see
/// <see cref="HostEndpoint"/>), <c>tls://HOST:PORT</c> (TCP with TLS), <c>unix:/path/to.sock</c> (a Unix domain
/// stream socket) or <c>unix:@name</c> (Linux's abstract namespace, no file; unix(7)).
/// </summary>
public sealed record ConnectionEndpoint
{
    private const string UnixScheme = "unix:";
    private const string TlsScheme = "tls://";
    private const string TcpScheme = "tcp://";

    // sun_path holds 108 bytes on Linux, the last one for the terminating NUL of a path (unix(7)).
    private const int MaxUnixPathBytes = 107;

    private ConnectionEndpoint(HostEndpoint? host, string? unixPath, bool tls)
    {
        Host = host;
        UnixPath = unixPath;
        UseTls = tls;
    }

    /// <summary>The host and port of a TCP endpoint; null for a Unix one.</summary>
    public HostEndpoint? Host { get; }

    /// <summary>The socket path of a Unix endpoint (<c>@name</c> for an abstract one); null for TCP.</summary>
    public string? UnixPath { get; }

    /// <summary>True for <c>tls://</c>: the connection runs TLS over the transport.</summary>
    public bool UseTls { get; init; }

    /// <summary>True for <c>unix:</c>.</summary>
    [MemberNotNullWhen(true, nameof(UnixPath))]
    [MemberNotNullWhen(false, nameof(Host))]
    public bool IsUnix => UnixPath is not null;

    /// <summary>True for <c>unix:@name</c>: a name in the abstract namespace, with no file behind it.</summary>
    public bool IsAbstract => UnixPath is ['@', ..];

    /// <summary>A TCP endpoint.</summary>
    public static ConnectionEndpoint Tcp(HostEndpoint host, bool tls = false) => new(host ?? throw new ArgumentNullException(nameof(host)), null, tls);

    /// <summary>A Unix endpoint: a path, or <c>@name</c> for the abstract namespace.</summary>
    /// <exception cref="FormatException">The path is empty or longer than sun_path allows (107 bytes).</exception>
    public static ConnectionEndpoint Unix(string path) =>
        TryParseUnixPath(path ?? throw new ArgumentNullException(nameof(path)), UnixScheme + path, out var error)
            ? new ConnectionEndpoint(null, path, false)
            : throw new FormatException(error);

    /// <summary>Parses endpoint text (see the type's summary).</summary>
    /// <exception cref="FormatException">The text is not an endpoint; the one-line message names the value and why.</exception>
    public static ConnectionEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase))
        {
            return Unix(text[UnixScheme.Length..]);
        }

        if (text.StartsWith(TlsScheme, StringComparison.OrdinalIgnoreCase))
        {
            return Tcp(HostEndpoint.Parse(text[TlsScheme.Length..]), tls: true);
        }

        return Tcp(HostEndpoint.Parse(text.StartsWith(TcpScheme, StringComparison.OrdinalIgnoreCase) ? text[TcpScheme.Length..] : text));
    }

    /// <summary>
    /// The socket address of a Unix endpoint: a path, or for <c>@name</c> a NUL followed by the name (how .NET and
    /// Linux spell the abstract namespace).
    /// </summary>
    /// <exception cref="InvalidOperationException">This is a TCP endpoint.</exception>
    public UnixDomainSocketEndPoint ToUnixEndPoint() =>
        IsUnix
            ? new UnixDomainSocketEndPoint(IsAbstract ? "\0" + UnixPath[1..] : UnixPath)
            : throw new InvalidOperationException($"{this} is not a Unix endpoint");

    /// <summary><c>unix:/path</c>, <c>unix:@name</c>, <c>tls://host:port</c> or <c>host:port</c>.</summary>
    public override string ToString() => IsUnix ? UnixScheme + UnixPath : (UseTls ? TlsScheme : "") + Host;

    /// <summary>How a Unix socket address reads in messages: <c>unix:/path</c>, <c>unix:@name</c>, or <c>unix:(unnamed)</c>.</summary>
    public static string Describe(UnixDomainSocketEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var path = endPoint.ToString();
        return path switch
        {
            "" or null => UnixScheme + "(unnamed)",
            ['\0', .. var name] => UnixScheme + "@" + name,
            _ => UnixScheme + path,
        };
    }

    private static bool TryParseUnixPath(string path, string text, [NotNullWhen(false)] out string? error)
    {
        error = path.Length == 0 || path == "@" ? $"'{text}' is not an endpoint: the socket path is empty (write unix:/path/to.sock or unix:@name)"
            : System.Text.Encoding.UTF8.GetByteCount(path) > MaxUnixPathBytes ? $"'{text}' is not an endpoint: the socket path is longer than {MaxUnixPathBytes} bytes (the limit of sun_path)"
            : path.Contains('\0', StringComparison.Ordinal) ? $"'{text}' is not an endpoint: the socket path contains a NUL"
            : null;
        return error is null;
    }
}
