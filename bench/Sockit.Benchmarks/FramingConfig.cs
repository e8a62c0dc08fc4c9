using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Sockit.Benchmarks;

/// <summary>
/// A short run that stays readable on a shared, noisy machine: in-process (no per-benchmark build), many short
/// iterations, and Min and Median next to the Mean. Min is the cost when nothing else got in the way.
/// </summary>
public sealed class FramingConfig : ManualConfig
{
    public FramingConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(40))
            .WithId("Framing"));
        AddColumn(StatisticColumn.Min, StatisticColumn.Median);
    }
}
