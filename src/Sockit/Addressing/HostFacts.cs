using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Sockit.Addressing;

/// <summary>This machine's names and interfaces: what <c>hostname</c>, <c>hostname -f</c> and <c>ip addr</c> show.</summary>
/// <param name="HostName">The host name (<see cref="Dns.GetHostName"/>, i.e. <c>gethostname</c>).</param>
/// <param name="Fqdn">The fully qualified name, the canonical name the resolver gives for <see cref="HostName"/>;
/// the host name itself when the resolver does not know it.</param>
/// <param name="FqdnError">Why the resolver could not give the FQDN, else null.</param>
/// <param name="Interfaces">Every network interface, in the order the system lists them.</param>
public sealed record HostFacts(string HostName, string Fqdn, string? FqdnError, IReadOnlyList<InterfaceFacts> Interfaces)
{
    /// <summary>Gathers the facts. Only the FQDN lookup touches the network (the resolver).</summary>
    /// <param name="cancellationToken">Cancels the FQDN lookup.</param>
    public static async ValueTask<HostFacts> GatherAsync(CancellationToken cancellationToken = default)
    {
        var hostName = Dns.GetHostName();
        string fqdn = hostName;
        string? fqdnError = null;
        try
        {
            fqdn = (await Dns.GetHostEntryAsync(hostName, cancellationToken).ConfigureAwait(false)).HostName;
        }
        catch (SocketException ex)
        {
            // A host whose own name does not resolve is common in containers: report it, do not fail.
            fqdnError = ex.Message;
        }

        var interfaces = NetworkInterface.GetAllNetworkInterfaces().Select(InterfaceFacts.From).ToArray();
        return new HostFacts(hostName, fqdn, fqdnError, interfaces);
    }
}
