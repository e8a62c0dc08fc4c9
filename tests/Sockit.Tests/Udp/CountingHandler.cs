using Sockit.Udp;

namespace Sockit.Tests.Udp;

/// <summary>Passes each datagram on to <paramref name="inner"/>, and completes <see cref="Done"/> after <paramref name="expected"/> of them.</summary>
internal sealed class CountingHandler(IUdpDatagramHandler inner, int expected) : IUdpDatagramHandler
{
    private int _seen;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask HandleAsync(UdpServer server, UdpPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        await inner.HandleAsync(server, peer, datagram, cancellationToken);
        if (Interlocked.Increment(ref _seen) == expected)
        {
            Done.TrySetResult();
        }
    }
}
