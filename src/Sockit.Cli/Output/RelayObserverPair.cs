using System.Buffers;
using Sockit.Services;

namespace Sockit.Cli.Output;

/// <summary><c>forward --hex --framing SPEC</c>: both observers see every call, the hex dump first.</summary>
internal sealed class RelayObserverPair(IRelayObserver first, IRelayObserver second) : IRelayObserver
{
    public void OnData(RelayDirection direction, long offset, in ReadOnlySequence<byte> data)
    {
        first.OnData(direction, offset, data);
        second.OnData(direction, offset, data);
    }

    public void OnEnd(RelayDirection direction, bool clean)
    {
        first.OnEnd(direction, clean);
        second.OnEnd(direction, clean);
    }
}
