using Sockit.Lessons;

namespace Sockit.Tests.Lessons;

public class ServerModelsLessonTests
{
    [Fact]
    public async Task TheIterativeServerServesOneClientAtATimeSoItTakesAtLeastClientsTimesRequestsTimesDelay()
    {
        var options = new ServerModelsOptions { Clients = 4, Requests = 3, Delay = TimeSpan.FromMilliseconds(20) };

        var results = await ServerModelsLesson.RunAsync(options).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(["iterative", "thread-per-client", "async"], results.Select(r => r.Model));
        var iterative = results[0];
        Assert.Equal(1, iterative.MaxConcurrent);
        Assert.True(iterative.Total >= options.Delay * (options.Clients * options.Requests), $"iterative took {iterative.Total}");

        // Structural, not timing: the concurrent models had more than one client in service at once, and even
        // they cannot beat one client's own requests × delay.
        foreach (var concurrent in results.Skip(1))
        {
            Assert.True(concurrent.MaxConcurrent > 1, $"{concurrent.Model} served at most {concurrent.MaxConcurrent} at once");
            Assert.True(concurrent.Total >= options.Delay * options.Requests);
        }
    }

    [Fact]
    public async Task OptionsOutOfRangeAreRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServerModelsLesson.RunAsync(new ServerModelsOptions { Clients = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServerModelsLesson.RunAsync(new ServerModelsOptions { Delay = TimeSpan.FromSeconds(2) }));
    }
}
