using Sockit.Capture;
using Sockit.Lessons;

namespace Sockit.Tests.Lessons;

public class TcpVersusUdpLessonTests
{
    [Fact]
    public async Task UdpKeepsBoundariesAndDropsWhatTheKernelCountsWhileTcpGluesAndLosesNothing()
    {
        var run = await TcpVersusUdpLesson.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(run.TcpReads < run.Messages, $"TCP needed {run.TcpReads} reads for {run.Messages} messages sent before the first read");
        Assert.Equal((run.Messages, run.Messages), (run.UdpReads, run.UdpIntact));
        Assert.Equal((long)run.BurstCount * run.BurstSize, run.TcpBytesReceived);
        Assert.True(run.TcpInOrder);
        Assert.True(run.UdpReceived < run.BurstCount, $"all {run.BurstCount} datagrams fit a {run.ReceiveBufferSize}-byte buffer?");
        Assert.Equal(run.BurstCount, run.UdpReceived + run.UdpKernelDrops); // the kernel's count explains every missing datagram
        if (run.Capture == "captured on lo")
        {
            Assert.Equal((3, 0), (run.TcpPacketsBeforeData, run.UdpPacketsBeforeData));
        }
        else
        {
            Assert.Null(run.TcpPacketsBeforeData);
        }
    }

    [Fact]
    public void UdpDropsAreReadFromARecordedProcNetUdpLine()
    {
        const string udp = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             1660: 0100007F:BA4C 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5695422 2 00000000865ba1df 994
            """;

        Assert.Equal(994, UdpSocketDrops.Parse(udp, 0xBA4C));
        Assert.Null(UdpSocketDrops.Parse(udp, 53));
    }
}
