using System.Net;
using Sockit.Capture;

namespace Sockit.Tests.Capture;

public class TcpSocketTableTests
{
    [Fact]
    public void ParsesRecordedProcNetTcpLines()
    {
        // Recorded from /proc/net/tcp and /proc/net/tcp6 on a little-endian Linux host.
        const string tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1599 1 000000001e084911 100 0 0 10 0
               1: 0100007F:8EDF 0100007F:B2C4 08 00000000:00000000 00:00000000 00000000     0        0 5654873 1 00000000351e1127 100 0 0 10 0
               2: not a socket line
            """;
        const string tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               1: 0000000000000000FFFF00000100007F:8CAA 0000000000000000FFFF00000100007F:A473 06 00000000:00000000 03:0000024E 00000000     0        0 0 3 00000000204ab788
            """;

        var entries = TcpSocketTable.Parse(tcp);
        var v6 = Assert.Single(TcpSocketTable.Parse(tcp6));

        Assert.Equal(2, entries.Count);
        Assert.Equal(new TcpSocketEntry(new IPEndPoint(IPAddress.Any, 2024), new IPEndPoint(IPAddress.Any, 0), TcpState.Listen, 1599), entries[0]);
        Assert.Equal(new TcpSocketEntry(new IPEndPoint(IPAddress.Loopback, 36575), new IPEndPoint(IPAddress.Loopback, 45764), TcpState.CloseWait, 5654873), entries[1]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 36010), v6.Local);
        Assert.Equal((TcpState.TimeWait, 0L), (v6.State, v6.Inode));
        Assert.Equal(TcpState.CloseWait, TcpSocketTable.StateOf(entries, 36575, 45764));
        Assert.Equal(TcpState.Closed, TcpSocketTable.StateOf(entries, 36575, 1));
        Assert.Equal("CLOSE_WAIT", TcpStateNames.Name(TcpState.CloseWait));
    }
}
