using System.Net;

namespace Sockit.Capture;

/// <summary>One row of the kernel's TCP socket table (<c>/proc/net/tcp</c> or <c>/proc/net/tcp6</c>).</summary>
/// <param name="Local">The socket's local address and port.</param>
/// <param name="Remote">The peer's address and port (<c>0.0.0.0:0</c> for a listener).</param>
/// <param name="State">The TCP state.</param>
/// <param name="Inode">The socket's inode; 0 for a socket no process holds any more (TIME_WAIT, orphans).</param>
public sealed record TcpSocketEntry(IPEndPoint Local, IPEndPoint Remote, TcpState State, long Inode);
