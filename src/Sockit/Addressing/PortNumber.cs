using System.Diagnostics.CodeAnalysis;

namespace Sockit.Addressing;

/// <summary>Port numbers as text and their IANA range.</summary>
public static class PortNumber
{
    /// <summary>The largest port number: ports are 16-bit.</summary>
    public const int Max = 65535;

    /// <summary>The first registered port (RFC 6335 §6).</summary>
    public const int FirstRegistered = 1024;

    /// <summary>The first dynamic (ephemeral) port (RFC 6335 §6).</summary>
    public const int FirstDynamic = 49152;

    /// <summary>Parses decimal digits only (no sign, no spaces) into 0–65535.</summary>
    /// <returns>False when <paramref name="text"/> is not all digits or is above 65535.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        if (text.IsEmpty || text.Length > 10)
        {
            return false;
        }

        long value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (value > Max)
        {
            return false;
        }

        port = (int)value;
        return true;
    }

    /// <summary>True when <paramref name="text"/> is made of ASCII digits only: a number, even if out of range.</summary>
    public static bool IsNumeric(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>The range <paramref name="port"/> belongs to.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 0–65535.</exception>
    public static PortKind Classify(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, Max);
        return port < FirstRegistered ? PortKind.WellKnown : port < FirstDynamic ? PortKind.Registered : PortKind.Dynamic;
    }

    /// <summary>The kebab-case name of a range (<c>well-known</c>, <c>registered</c>, <c>dynamic</c>) with its bounds.</summary>
    public static string Describe(PortKind kind) => kind switch
    {
        PortKind.WellKnown => "well-known (0-1023)",
        PortKind.Registered => "registered (1024-49151)",
        _ => "dynamic (49152-65535)",
    };

    /// <summary>Parses a port given as a number or a service name looked up in <paramref name="services"/>.</summary>
    /// <exception cref="FormatException">The number is out of range or the name is unknown; the message names the value.</exception>
    public static int ParseNumberOrService(string text, ServiceTable services, ServiceProtocol protocol = ServiceProtocol.Tcp)
    {
        if (TryParseNumberOrService(text, services, protocol, out var port, out var error))
        {
            return port;
        }

        throw new FormatException(error);
    }

    /// <summary>The non-throwing form of <see cref="ParseNumberOrService"/>; <paramref name="error"/> is one line.</summary>
    public static bool TryParseNumberOrService(
        string text, ServiceTable services, ServiceProtocol protocol, out int port, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(services);
        error = null;
        if (TryParse(text, out port))
        {
            return true;
        }

        if (IsNumeric(text) || (text.Length > 1 && text[0] is '-' or '+' && IsNumeric(text.AsSpan(1))))
        {
            error = $"'{text}' is not a port (0-{Max})";
            return false;
        }

        if (text.Length > 0 && services.FindByName(text, protocol) is { } entry)
        {
            port = entry.Port;
            return true;
        }

        error = text.Length == 0
            ? "'' is not a port: it is empty"
            : $"'{text}' is not a port or a known {protocol.ToString().ToLowerInvariant()} service name (looked up in {services.Source})";
        return false;
    }
}
