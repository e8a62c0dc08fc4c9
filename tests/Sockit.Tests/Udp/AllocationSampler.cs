using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Sockit.Tests.Udp;

/// <summary>
/// Names what this process allocates while it listens: the runtime's <c>GCAllocationTick</c> event (one per ~100 KiB
/// allocated, with the type of the object that crossed the mark), counted by type. Used by the allocation tests to say
/// who allocated when a bound is broken, instead of only how much.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, int> _types = new();

    /// <summary>The most sampled types, "Type ×count", most first; "none" when nothing was sampled.</summary>
    public string Top(int count = 5)
    {
        var top = _types.OrderByDescending(t => t.Value).Take(count).Select(t => $"{t.Key} ×{t.Value}").ToList();
        return top.Count == 0 ? "none" : string.Join(", ", top);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true
            && eventData.PayloadNames?.IndexOf("TypeName") is >= 0 and var at
            && eventData.Payload?[at] is string type)
        {
            _types.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }
}
