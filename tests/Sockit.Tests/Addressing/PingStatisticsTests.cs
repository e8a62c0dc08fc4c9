using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

public sealed class PingStatisticsTests
{
    [Fact]
    public void SummarisesLikePing()
    {
        var stats = new PingStatistics();
        stats.Add(TimeSpan.FromMilliseconds(1));
        stats.Add(null);
        stats.Add(TimeSpan.FromMilliseconds(3));
        stats.Add(TimeSpan.FromMilliseconds(2));

        Assert.Equal(4, stats.Sent);
        Assert.Equal(3, stats.Received);
        Assert.Equal(25, stats.LossPercent);
        Assert.Equal(1, stats.Min.TotalMilliseconds, 6);
        Assert.Equal(3, stats.Max.TotalMilliseconds, 6);
        Assert.Equal(2, stats.Average.TotalMilliseconds, 6);

        // iputils: sqrt(mean(x²) − mean(x)²) = sqrt(14/3 − 4) ≈ 0.8165.
        Assert.Equal(Math.Sqrt((14.0 / 3) - 4), stats.MeanDeviation.TotalMilliseconds, 3);
    }

    [Fact]
    public void NothingReceivedIsAllLossAndZeroTimes()
    {
        var stats = new PingStatistics();
        stats.Add(null);

        Assert.Equal(100, stats.LossPercent);
        Assert.Equal(TimeSpan.Zero, stats.Average);
        Assert.Equal(TimeSpan.Zero, stats.MeanDeviation);
        Assert.Equal(0, new PingStatistics().LossPercent);
    }
}
