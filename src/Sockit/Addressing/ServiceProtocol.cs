namespace Sockit.Addressing;

/// <summary>The transport a service name is registered for, as in the second half of <c>22/tcp</c>.</summary>
public enum ServiceProtocol
{
    /// <summary>TCP: the default for <c>getservbyname</c> lookups Sockit makes.</summary>
    Tcp,

    /// <summary>UDP.</summary>
    Udp,
}
