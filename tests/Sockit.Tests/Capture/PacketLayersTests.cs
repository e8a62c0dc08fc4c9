using System.Text;
using Sockit.Capture;
using Sockit.Lessons;

namespace Sockit.Tests.Capture;

public class PacketLayersTests
{
    [Fact]
    public void EachLayerHasItsBytesAndItsHeadersFields()
    {
        var frame = TestFrames.Tcp("127.0.0.1:40000", "127.0.0.1:7000", 7, 9, TcpControlBits.Psh | TcpControlBits.Ack, 512, Encoding.ASCII.GetBytes("hello"));
        Assert.True(PacketDecoder.TryDecode(frame, out var packet));

        var layers = PacketLayers.Describe(frame, packet!);

        Assert.Equal(
            [("link", "Ethernet II", 0, 14), ("network", "IPv4", 14, 20), ("transport", "TCP", 34, 20), ("application", "data", 54, 5)],
            layers.Select(l => (l.Layer, l.Protocol, l.Offset, l.Length)));
        Assert.Equal(new LayerField("EtherType", "0x0800 (IPv4)"), layers[0].Fields[2]);
        Assert.Contains(new LayerField("protocol", "6 (TCP)"), layers[1].Fields);
        Assert.Contains(new LayerField("TTL", "64"), layers[1].Fields);
        Assert.Contains(new LayerField("flags", "PSH-ACK"), layers[2].Fields);
        Assert.Contains(new LayerField("header length", "20 bytes (0 of options)"), layers[2].Fields);
        Assert.Equal(new LayerField("as text", "\"hello\""), layers[3].Fields[1]);
    }

    [Fact]
    public async Task TheLayersLessonFindsTheMessageUnderThreeHeadersOrSaysWhyNot()
    {
        var run = await LayersLesson.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new LayerField("as text", "\"hello\""), run.Layers[^1].Fields[1]);
        if (run.Frame is null)
        {
            Assert.Single(run.Layers);
            Assert.StartsWith("no capture: it needs CAP_NET_RAW", run.Capture, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(["link", "network", "transport", "application"], run.Layers.Select(l => l.Layer));
        Assert.Equal(new LayerField("source MAC", "00:00:00:00:00:00"), run.Layers[0].Fields[1]); // loopback has no MAC
        Assert.Equal("hello", Encoding.ASCII.GetString(run.Frame, run.Layers[3].Offset, run.Layers[3].Length));
        Assert.Equal(run.Frame.Length, run.Layers[3].Offset + run.Layers[3].Length);
    }
}
