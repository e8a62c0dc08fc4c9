using Microsoft.Win32.SafeHandles;
using Sockit.Services;

namespace Sockit.Cli.Output;

/// <summary>
/// stdout as a stream that notices when its reader is gone. .NET's <see cref="Console.OpenStandardOutput()"/> on
/// Unix treats EPIPE as success and drops the bytes, so <c>sockit connect … | head -c 20</c> kept reading the
/// server and discarding what it read, forever.
/// </summary>
internal static class StandardOutput
{
    private const int BrokenPipe = 32; // EPIPE on Linux; .NET's IOException carries the errno as its HResult.

    /// <summary>
    /// Opens stdout. A pipe, socket or terminal is written with plain write(2), which reports EPIPE; a regular file
    /// keeps the console stream, which writes at the shared file offset (<c>&gt; out 2&gt;&amp;1</c> must not
    /// overwrite stderr's lines) and cannot hit EPIPE anyway.
    /// </summary>
    public static Stream Open()
    {
        if (!StandardDescriptors.IsInherited(1))
        {
            return Stream.Null; // Started with stdout closed: fd 1 is the runtime's now, never ours to write.
        }

        var file = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        if (!file.CanSeek)
        {
            return file;
        }

        file.Dispose();
        return Console.OpenStandardOutput();
    }

    /// <summary>
    /// Nothing when <paramref name="printer"/>'s output works or its reader has gone away (the reader had enough,
    /// as <c>yes | head</c> ends <c>yes</c>: quietly); any other write failure is the command's error.
    /// </summary>
    public static void ThrowIfFailed(FramePrinter printer)
    {
        if (printer.OutputError is { } error && error.HResult != BrokenPipe)
        {
            throw new IOException("stdout: " + error.Message, error);
        }
    }
}
