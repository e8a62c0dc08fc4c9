// The hand-written System.IO.Pipelines echo server bench/run.sh measures beside sockit ("pipelines"): an accept loop,
// and per connection a PipeReader and a PipeWriter over a NetworkStream, every read written back and flushed. This is
// the shape of the samples in "System.IO.Pipelines: High performance IO in .NET" (devblogs.microsoft.com, 2018).
// Prints "listening on 127.0.0.1:PORT"; stops on SIGTERM.
using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, args.Length > 0 ? int.Parse(args[0]) : 0));
listener.Listen(4096);
Console.WriteLine($"listening on {listener.LocalEndPoint}");
while (true)
{
    var socket = await listener.AcceptAsync();
    socket.NoDelay = true;
    _ = EchoAsync(socket);
}

static async Task EchoAsync(Socket socket)
{
    await using var stream = new NetworkStream(socket, ownsSocket: true);
    var reader = PipeReader.Create(stream);
    var writer = PipeWriter.Create(stream);
    try
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                writer.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            await writer.FlushAsync();
            if (result.IsCompleted)
            {
                break;
            }
        }
    }
    catch (IOException)
    {
        // The client reset: done with it.
    }
    finally
    {
        await reader.CompleteAsync();
        await writer.CompleteAsync();
    }
}
