using System.Net;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>Forward and reverse lookups through the system resolver (<c>getaddrinfo</c>/<c>getnameinfo</c>: hosts
/// file, DNS, whatever <c>nsswitch.conf</c> says), with failures as <see cref="AddressResolutionException"/>.</summary>
public static class NameResolver
{
    /// <summary>Looks <paramref name="query"/> up: a name gives its addresses and canonical name; an IP literal
    /// (strict <see cref="InetPton"/> text) gives its name.</summary>
    /// <param name="query">A host name or an IP address.</param>
    /// <param name="family"><see cref="AddressFamily.Unspecified"/> for both families, or one of them (<c>-4</c>/<c>-6</c>).</param>
    /// <param name="cancellationToken">Cancels the lookup; the task then throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="AddressResolutionException">Unknown name, no address of that family, or no reverse name.</exception>
    /// <exception cref="FormatException"><paramref name="query"/> is empty or cannot be a host name.</exception>
    public static async ValueTask<Resolution> ResolveAsync(string query, AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var isReverse = InetPton.TryParse(query, out var literal);
        if (!isReverse)
        {
            // Bad input, not a lookup failure: the resolver would answer "" with this host's own entry.
            HostEndpoint.FromHost(query, 0);
        }

        IPHostEntry entry;
        try
        {
            entry = isReverse
                ? await Dns.GetHostEntryAsync(literal!.ToString(), cancellationToken).ConfigureAwait(false)
                : await Dns.GetHostEntryAsync(query, family, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (isReverse && ex.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            // getnameinfo's "Name or service not known" reads as if the address were wrong; it only has no name.
            throw new AddressResolutionException(query, "the address has no reverse name (no PTR record, no hosts-file entry)", ex.SocketErrorCode, ex);
        }
        catch (SocketException ex)
        {
            throw new AddressResolutionException(query, ex.Message, ex.SocketErrorCode, ex);
        }

        var addresses = isReverse ? [literal!] : entry.AddressList.Distinct().ToArray();
        if (addresses.Length == 0)
        {
            var which = family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
            throw new AddressResolutionException(query, $"no {which} address", SocketError.NoData);
        }

        return new Resolution(query, isReverse, entry.HostName, entry.Aliases, addresses);
    }

    /// <summary>The name of <paramref name="address"/> (PTR or hosts file), or null when it has none.</summary>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public static async ValueTask<string?> ReverseAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            var entry = await Dns.GetHostEntryAsync(address.ToString(), cancellationToken).ConfigureAwait(false);
            return entry.HostName == address.ToString() ? null : entry.HostName;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
