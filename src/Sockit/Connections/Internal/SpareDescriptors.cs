using Microsoft.Win32.SafeHandles;

namespace Sockit.Connections.Internal;

/// <summary>
/// A few descriptors held open (on <c>/dev/null</c>) while all is well and handed back when <c>accept</c> fails with
/// EMFILE, so the process is never left with none: the runtime needs one to start a thread, and treats failing
/// to get it as fatal. The classic "reserve descriptor" trick of libuv and nginx, with a little more room.
/// </summary>
internal sealed class SpareDescriptors : IDisposable
{
    private const int Count = 8;
    private readonly List<SafeFileHandle> _held = [];

    public SpareDescriptors() => TryReacquire();

    /// <summary>Hands every spare back to the kernel.</summary>
    public void Release()
    {
        foreach (var handle in _held)
        {
            handle.Dispose();
        }

        _held.Clear();
    }

    /// <summary>Opens spares again up to the full count; stops quietly when there are none to be had.</summary>
    public void TryReacquire()
    {
        try
        {
            while (_held.Count < Count)
            {
                _held.Add(File.OpenHandle("/dev/null"));
            }
        }
        catch (IOException)
        {
            // Still out of descriptors: the accept loop backs off and tries again.
        }
        catch (UnauthorizedAccessException)
        {
            // No /dev/null here (a sandbox): run without spares.
        }
    }

    public void Dispose() => Release();
}
