using BenchmarkDotNet.Attributes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Benchmarks;

/// <summary>Threshold ranges (parse, evaluate) and perfdata rendering: paid on every check.</summary>
[MemoryDiagnoser]
public class RangeAndPerfDataBenchmarks
{
    private readonly Threshold _threshold = Threshold.Parse("26h", "50h", RangeUnits.Duration, "--warning", "--critical");
    private readonly PerfDatum[] _perf =
    [
        PerfDatum.WithThreshold("last_backup_age", 11520, "s", Threshold.Parse("26h", "50h", RangeUnits.Duration, "-w", "-c"), min: 0),
        new("source_file_size", 12021390, "B", Min: 0),
        new("destination_size_change", -301, "B"),
        new("assets backup_sets", 4, Min: 0),
        new("elapsed_time", 0.01, "s", Min: 0),
    ];

    [Benchmark]
    public ThresholdRange ParseDurationRange() => ThresholdRange.Parse("@1d:2d", RangeUnits.Duration);

    [Benchmark]
    public ThresholdRange ParsePlainRange() => ThresholdRange.Parse("10:20");

    [Benchmark]
    public ServiceState Evaluate() => _threshold.Evaluate(150_000);

    [Benchmark]
    public int RenderPerfData()
    {
        var n = 0;
        foreach (var p in _perf) n += p.ToString().Length;
        return n;
    }
}
