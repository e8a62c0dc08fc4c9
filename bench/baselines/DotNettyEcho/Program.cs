// DotNetty's echo server (its examples/Echo.Server, without TLS) for bench/run.sh ("dotnetty"): one boss loop, the
// default worker loops (2 per core), TCP_NODELAY, every read written back and flushed when the read batch ends.
// Prints "listening on 127.0.0.1:PORT"; stops on SIGTERM.
using System.Net;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

var boss = new MultithreadEventLoopGroup(1);
var workers = new MultithreadEventLoopGroup();
var bootstrap = new ServerBootstrap()
    .Group(boss, workers)
    .Channel<TcpServerSocketChannel>()
    .Option(ChannelOption.SoBacklog, 4096)
    .ChildOption(ChannelOption.TcpNodelay, true)
    .ChildHandler(new ActionChannelInitializer<ISocketChannel>(channel => channel.Pipeline.AddLast("echo", new EchoHandler())));
var bound = await bootstrap.BindAsync(new IPEndPoint(IPAddress.Loopback, args.Length > 0 ? int.Parse(args[0]) : 0));
var local = (IPEndPoint)bound.LocalAddress; // DotNetty's socket is dual-stack: the address comes back IPv4-mapped
Console.WriteLine($"listening on {local.Address.MapToIPv4()}:{local.Port}");
await Task.Delay(Timeout.Infinite);

/// <summary>Writes every buffer read back; flushes once per read batch (DotNetty's EchoServerHandler).</summary>
internal sealed class EchoHandler : ChannelHandlerAdapter
{
    public override void ChannelRead(IChannelHandlerContext context, object message) => context.WriteAsync(message);

    public override void ChannelReadComplete(IChannelHandlerContext context) => context.Flush();

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) => context.CloseAsync();
}
