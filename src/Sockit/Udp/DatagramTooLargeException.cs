namespace Sockit.Udp;

/// <summary>A datagram to send is larger than the endpoint's limit; nothing was sent.</summary>
public sealed class DatagramTooLargeException : ArgumentException
{
    /// <summary>Creates the exception for a datagram of <paramref name="size"/> bytes against <paramref name="limit"/>.</summary>
    public DatagramTooLargeException(int size, int limit)
        : base($"a datagram of {size} bytes exceeds the maximum datagram size of {limit} bytes")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The datagram's size in bytes.</summary>
    public int Size { get; }

    /// <summary>The limit in bytes (<see cref="UdpEndpoint.MaxDatagramSize"/>).</summary>
    public int Limit { get; }
}
