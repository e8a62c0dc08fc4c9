namespace Sockit.Addressing;

/// <summary>This process may not send ICMP echo (no raw socket privilege, unprivileged ICMP sockets disabled
/// through <c>net.ipv4.ping_group_range</c>, and no <c>ping</c> program to fall back on).</summary>
public sealed class IcmpNotPermittedException : Exception
{
    /// <summary>The standard message: what is missing and what to do instead.</summary>
    public const string Advice =
        "ICMP echo is not permitted here (it needs CAP_NET_RAW or net.ipv4.ping_group_range); use -p PORT to time a TCP connect instead";

    /// <summary>Creates the exception with <see cref="Advice"/>.</summary>
    public IcmpNotPermittedException()
        : this(Advice)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public IcmpNotPermittedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public IcmpNotPermittedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
