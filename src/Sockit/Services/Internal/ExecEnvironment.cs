using System.Globalization;
using System.Net;
using Sockit.Connections;

namespace Sockit.Services.Internal;

/// <summary>
/// The variables a child of <c>--exec</c> finds in its environment: <c>SOCKIT_PEER_ADDR</c>, <c>SOCKIT_PEER_PORT</c>,
/// <c>SOCKIT_LOCAL_ADDR</c>, <c>SOCKIT_LOCAL_PORT</c> (ncat's <c>NCAT_REMOTE_ADDR</c>… and socat's <c>SOCAT_PEERADDR</c>…
/// are the models). An IP address as text without brackets (<c>127.0.0.1</c>, <c>::1</c>); for a Unix domain socket the
/// path (<c>/run/app.sock</c>, <c>@name</c> for an abstract one, empty for an unnamed client) and the port empty.
/// </summary>
internal static class ExecEnvironment
{
    public static IEnumerable<KeyValuePair<string, string>> For(Connection connection)
    {
        var (peerAddress, peerPort) = Split(connection.RemoteEndPoint);
        var (localAddress, localPort) = Split(connection.LocalEndPoint);
        return
        [
            new("SOCKIT_PEER_ADDR", peerAddress),
            new("SOCKIT_PEER_PORT", peerPort),
            new("SOCKIT_LOCAL_ADDR", localAddress),
            new("SOCKIT_LOCAL_PORT", localPort),
        ];
    }

    private static (string Address, string Port) Split(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => (ip.Address.ToString(), ip.Port.ToString(CultureInfo.InvariantCulture)),
        System.Net.Sockets.UnixDomainSocketEndPoint unix => (unix.ToString() switch
        {
            ['\0', .. var name] => "@" + name,
            var path => path ?? "",
        }, ""),
        _ => (endPoint?.ToString() ?? "", ""),
    };
}
