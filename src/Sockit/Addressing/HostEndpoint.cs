using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>
/// A host and a port as people type them: <c>example.com:80</c>, <c>1.2.3.4:80</c>, <c>[::1]:8080</c>,
/// <c>localhost:http</c> (a TCP service name), or just a port (<c>8080</c>, <c>:8080</c>) meaning any address.
/// </summary>
/// <param name="Host">A host name, an IPv4 literal, an IPv6 literal without brackets, or empty for any address.</param>
/// <param name="Port">0–65535; 0 asks the system for a free port when listening.</param>
public sealed record HostEndpoint(string Host, int Port)
{
    /// <summary>True when <see cref="Host"/> is empty: bind to every local address.</summary>
    public bool IsAnyAddress => Host.Length == 0;

    /// <summary>Parses endpoint text, looking service names up in <see cref="ServiceTable.Default"/>.</summary>
    /// <exception cref="FormatException">The text is not an endpoint; the one-line message names the value.</exception>
    public static HostEndpoint Parse(string text) => Parse(text, ServiceTable.Default);

    /// <summary>Parses endpoint text, looking service names up (as TCP) in <paramref name="services"/>.</summary>
    /// <exception cref="FormatException">The text is not an endpoint; the one-line message names the value.</exception>
    public static HostEndpoint Parse(string text, ServiceTable services) =>
        TryParse(text, services, out var endpoint, out var error) ? endpoint : throw new FormatException(error);

    /// <summary>An endpoint from a host given on its own (as <c>ping HOST</c> takes it: an IPv6 literal without
    /// brackets) and a port, with the host checked as <see cref="Parse(string)"/> checks it.</summary>
    /// <exception cref="FormatException">The host is empty or not a host name or address; the message names it.</exception>
    public static HostEndpoint FromHost(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, PortNumber.Max);
        if (host.Length == 0 || !TryParseHost(host, host, out _))
        {
            throw new FormatException($"'{host}' is not a host name or address");
        }

        return new HostEndpoint(host, port);
    }

    /// <summary>Parses endpoint text without throwing, using <see cref="ServiceTable.Default"/>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HostEndpoint? endpoint) =>
        TryParse(text, ServiceTable.Default, out endpoint, out _);

    /// <summary>Parses endpoint text without throwing.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="services">Where service names such as <c>http</c> are looked up (TCP).</param>
    /// <param name="endpoint">The endpoint when the result is true.</param>
    /// <param name="error">A one-line reason naming the value when the result is false.</param>
    public static bool TryParse(
        string? text, ServiceTable services, [NotNullWhen(true)] out HostEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(services);
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"'{text}' is not an endpoint: it is empty (expected HOST:PORT, [IPv6]:PORT or PORT)";
            return false;
        }

        if (!TrySplit(text, out var host, out var portText, out error) || !TryParseHost(text, host, out error))
        {
            return false;
        }

        if (!PortNumber.TryParseNumberOrService(portText, services, ServiceProtocol.Tcp, out var port, out var portError))
        {
            error = $"'{text}' is not an endpoint: {portError}";
            return false;
        }

        endpoint = new HostEndpoint(host, port);
        return true;
    }

    /// <summary>
    /// The addresses to use: an IP literal is itself; an empty host is <see cref="IPAddress.Any"/> (like Python's
    /// <c>''</c> in <c>bind(('', port))</c>); a name is looked up with DNS (and the hosts file).
    /// </summary>
    /// <param name="cancellationToken">Cancels the lookup; the task then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="AddressResolutionException">The name is unknown or the resolver failed; the message names the host and the resolver's reason.</exception>
    public async ValueTask<IPAddress[]> ResolveAsync(CancellationToken cancellationToken = default)
    {
        if (IsAnyAddress)
        {
            return [IPAddress.Any];
        }

        if (IPAddress.TryParse(Host, out var literal))
        {
            return [literal];
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new AddressResolutionException(Host, ex.Message, ex.SocketErrorCode, ex);
        }

        return addresses.Length > 0 ? addresses : throw new AddressResolutionException(Host, "the resolver returned no addresses", SocketError.NoData);
    }

    /// <summary><c>host:port</c>, or <c>[v6]:port</c> for an IPv6 literal, or <c>:port</c> for any address.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    private static bool TrySplit(string text, out string host, out string port, [NotNullWhen(false)] out string? error)
    {
        error = null;
        host = "";
        port = text;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{text}' is not an endpoint: '[' without a closing ']'";
                return false;
            }

            if (close + 1 == text.Length || text[close + 1] != ':')
            {
                error = $"'{text}' is not an endpoint: expected ':PORT' after ']'";
                return false;
            }

            host = text[1..close];
            port = text[(close + 2)..];
            if (!host.Contains(':', StringComparison.Ordinal))
            {
                error = $"'{text}' is not an endpoint: brackets are only for IPv6 addresses";
                return false;
            }

            return true;
        }

        var colons = text.Count(c => c == ':');
        if (colons > 1)
        {
            // 2001:db8::1:80 could be the address 2001:db8::1:80 or 2001:db8::1 port 80: refuse to guess.
            error = $"'{text}' is not an endpoint: write an IPv6 address with a port in brackets, like [::1]:8080";
            return false;
        }

        if (colons == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            port = text[(colon + 1)..];
            return true;
        }

        if (!PortNumber.IsNumeric(text))
        {
            error = $"'{text}' is not an endpoint: no port (expected HOST:PORT, [IPv6]:PORT or PORT)";
            return false;
        }

        return true;
    }

    private static bool TryParseHost(string text, string host, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (host.Contains(':', StringComparison.Ordinal))
        {
            // Inside brackets: an IPv6 literal, optionally with a %scope zone (valid for link-local connects).
            var percent = host.IndexOf('%', StringComparison.Ordinal);
            var bare = percent < 0 ? host : host[..percent];
            if (InetPton.TryParse(bare, AddressFamily.InterNetworkV6, out _, out var reason)
                && (percent < 0 || (percent + 1 < host.Length && IPAddress.TryParse(host, out _))))
            {
                return true;
            }

            error = $"'{text}' is not an endpoint: {reason ?? $"'{host[(percent + 1)..]}' is not a scope zone"}";
            return false;
        }

        if (host.Length > 253 || host.AsSpan().ContainsAnyExcept(HostNameChars.Allowed))
        {
            error = $"'{text}' is not an endpoint: '{host}' is not a host name or address";
            return false;
        }

        return true;
    }
}
