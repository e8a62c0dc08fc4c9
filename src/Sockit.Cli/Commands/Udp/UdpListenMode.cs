namespace Sockit.Cli.Commands.Udp;

/// <summary>What <c>sockit listen --udp</c> does with each datagram.</summary>
internal enum UdpListenMode
{
    /// <summary>Print each datagram with its sender; send stdin lines to the last peer (or every peer).</summary>
    Stdio,

    /// <summary>Send each datagram back to its sender.</summary>
    Echo,

    /// <summary>Count datagrams, bytes and sequence gaps per peer; print a summary on exit.</summary>
    Sink,
}
