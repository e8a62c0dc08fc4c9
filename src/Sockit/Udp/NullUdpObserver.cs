namespace Sockit.Udp;

/// <summary>The observer used when none is given: hears everything, does nothing.</summary>
internal sealed class NullUdpObserver : IUdpObserver
{
    public static readonly NullUdpObserver Instance = new();
}
