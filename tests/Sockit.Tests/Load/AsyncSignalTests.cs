using Sockit.Load;

namespace Sockit.Tests.Load;

public sealed class AsyncSignalTests
{
    [Fact]
    public async Task ASetBeforeTheWaitLetsOneWaitPass()
    {
        var signal = new AsyncSignal();
        signal.Set();
        signal.Set();

        Assert.True(signal.WaitAsync().AsTask().IsCompleted);
        var second = signal.WaitAsync().AsTask();
        Assert.False(second.IsCompleted);

        signal.Set();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ManySetsFromAnotherThreadNeverLoseAWakeUp()
    {
        var signal = new AsyncSignal();
        var produced = 0;
        var consumed = 0;
        const int Rounds = 10_000;
        var producer = Task.Run(() =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                Interlocked.Increment(ref produced);
                signal.Set();
            }
        });

        // The waiter only finishes if every state change after the last Set is observed.
        while (Volatile.Read(ref consumed) < Rounds)
        {
            if (Volatile.Read(ref produced) > consumed)
            {
                consumed = Volatile.Read(ref produced);
                continue;
            }

            await signal.WaitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        await producer.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
