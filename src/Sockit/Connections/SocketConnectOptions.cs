using System.Net;
using System.Net.Sockets;

namespace Sockit.Connections;

/// <summary>
/// Which of a name's addresses <see cref="SocketConnector"/> may try, and where the client socket is bound before it
/// connects: nc's and ncat's <c>-4</c>, <c>-6</c> and <c>-s ADDR</c> / <c>-p PORT</c>. Immutable; safe to share.
/// </summary>
public sealed record SocketConnectOptions
{
    private readonly AddressFamily _addressFamily = AddressFamily.Unspecified;

    /// <summary>Any address family, and the OS picks the local address and port.</summary>
    public static SocketConnectOptions Default { get; } = new();

    /// <summary>
    /// <see cref="AddressFamily.Unspecified"/> (the default): every address the name resolves to, in the resolver's
    /// order; <see cref="AddressFamily.InterNetwork"/>: IPv4 only (<c>-4</c>); <see cref="AddressFamily.InterNetworkV6"/>:
    /// IPv6 only (<c>-6</c>). A name with no address of that family is an unknown host; an address literal of the other
    /// family is refused as bad input.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Any other family.</exception>
    public AddressFamily AddressFamily
    {
        get => _addressFamily;
        init => _addressFamily = value is AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? value
            : throw new ArgumentOutOfRangeException(nameof(AddressFamily), value, "the address family must be Unspecified, InterNetwork or InterNetworkV6");
    }

    /// <summary>
    /// The local address, and port (0: the OS picks one), bound before connecting; <see langword="null"/> (the default)
    /// lets the OS pick both from the route. Only target addresses of its family are tried. A fixed port is bound
    /// without <c>SO_REUSEADDR</c>, so a port still in TIME_WAIT from an earlier connection to the same peer fails
    /// with "address already in use", as it does for nc.
    /// </summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>True when these options restrict nothing (<see cref="Default"/>'s values).</summary>
    public bool IsDefault => _addressFamily == AddressFamily.Unspecified && LocalEndPoint is null;

    /// <summary>
    /// The one family a target address must have: <see cref="AddressFamily"/>, else <see cref="LocalEndPoint"/>'s;
    /// <see cref="AddressFamily.Unspecified"/> when either will do.
    /// </summary>
    /// <exception cref="ArgumentException">The two disagree (IPv4 only, and an IPv6 source address).</exception>
    public AddressFamily RequiredFamily()
    {
        var local = LocalEndPoint?.AddressFamily ?? AddressFamily.Unspecified;
        if (_addressFamily != AddressFamily.Unspecified && local != AddressFamily.Unspecified && local != _addressFamily)
        {
            throw new ArgumentException($"the source address {LocalEndPoint!.Address} is {Name(local)}, but only {Name(_addressFamily)} addresses were asked for");
        }

        return _addressFamily != AddressFamily.Unspecified ? _addressFamily : local;
    }

    /// <summary><c>IPv4</c> or <c>IPv6</c>.</summary>
    internal static string Name(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
