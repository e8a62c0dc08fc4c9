using Sockit.Cli.Tests.Infrastructure;

namespace Sockit.Cli.Tests.Forward;

/// <summary>An echo server (<c>sockit listen --mode echo</c>) and the forwarder in front of it; disposing stops both.</summary>
internal sealed class ForwardedEcho(SockitProcess echo, SockitProcess forward) : IAsyncDisposable
{
    public SockitProcess Echo { get; } = echo;

    public SockitProcess Forward { get; } = forward;

    public async ValueTask DisposeAsync()
    {
        await Forward.DisposeAsync();
        await Echo.DisposeAsync();
    }
}
