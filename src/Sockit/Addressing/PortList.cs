using System.Diagnostics.CodeAnalysis;

namespace Sockit.Addressing;

/// <summary>
/// A scan's PORTS argument: comma-separated numbers, ranges and TCP service names, <c>22,80-90,mysql</c>.
/// The result is sorted and without duplicates. Port 0 cannot be connected to and is rejected.
/// </summary>
public static class PortList
{
    /// <summary>Parses <paramref name="text"/>, looking names up in <paramref name="services"/> (TCP).</summary>
    /// <exception cref="FormatException">A bad item; the one-line message names it.</exception>
    public static IReadOnlyList<int> Parse(string text, ServiceTable services) =>
        TryParse(text, services, out var ports, out var error) ? ports : throw new FormatException(error);

    /// <summary>Parses without throwing; <paramref name="error"/> is one line naming the bad item.</summary>
    public static bool TryParse(string text, ServiceTable services, [NotNullWhen(true)] out IReadOnlyList<int>? ports, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(services);
        ports = null;
        var set = new SortedSet<int>();
        foreach (var item in text.Split(','))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            int first, last;
            if (dash > 0 && PortNumber.IsNumeric(item.AsSpan(0, dash)))
            {
                // A range: both ends are numbers. (Service names may contain '-', e.g. ftp-data, so only a
                // leading number makes it a range.)
                if (!PortNumber.TryParse(item.AsSpan(0, dash), out first) || !PortNumber.TryParse(item.AsSpan(dash + 1), out last))
                {
                    error = $"'{item}' is not a port range (FIRST-LAST, each 1-{PortNumber.Max})";
                    return false;
                }

                if (last < first)
                {
                    error = $"'{item}' is not a port range: it runs backwards";
                    return false;
                }
            }
            else if (!PortNumber.TryParseNumberOrService(item, services, ServiceProtocol.Tcp, out first, out error))
            {
                return false;
            }
            else
            {
                last = first;
            }

            if (first == 0)
            {
                error = $"'{item}': port 0 cannot be connected to (ports are 1-{PortNumber.Max})";
                return false;
            }

            for (var port = first; port <= last; port++)
            {
                set.Add(port);
            }
        }

        ports = [.. set];
        error = null;
        return true;
    }
}
