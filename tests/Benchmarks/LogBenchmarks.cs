using BenchmarkDotNet.Attributes;
using DuplicityChecks.Duplicity.Logs;

namespace DuplicityChecks.Benchmarks;

/// <summary>The log scanner over 10 MB of recorded runs in memory (no I/O): MB/s = 10 / time in s.</summary>
[MemoryDiagnoser]
public class LogScanBenchmarks
{
    private byte[] _log = [];

    [GlobalSetup]
    public void Setup() => _log = Inputs.CronLog(10_000_000);

    [Benchmark]
    public int Scan10MB()
    {
        var runs = 0;
        var scanner = new LogScanner(_ => runs++);
        using var stream = new MemoryStream(_log, writable: false);
        scanner.Scan(stream);
        scanner.Finish();
        return runs;
    }

    // As the scanner reads text blocks: one parser, reset at each heading; a block allocates its statistics only.
    private readonly StatisticsBlockParser _block = new();

    [Benchmark]
    public long StatisticsBlock()
    {
        _block.Reset("--------------[ Backup Statistics ]--------------"u8);
        foreach (var line in StatisticsLines) _block.TryAddLine(line);
        return _block.Statistics.Errors ?? -1;
    }

    private static readonly string[] StatisticsLines =
    [
        "StartTime 1795687972.24 (Thu Nov 26 10:12:52 2026)", "EndTime 1795687972.25 (Thu Nov 26 10:12:52 2026)",
        "ElapsedTime 0.00 (0.00 seconds)", "SourceFiles 32", "SourceFileSize 12021482 (11.5 MB)", "NewFiles 2",
        "NewFileSize 4104 (4.01 KB)", "DeletedFiles 0", "ChangedFiles 2", "ChangedFileSize 187 (187 bytes)",
        "ChangedDeltaSize 0 (0 bytes)", "DeltaEntries 4", "RawDeltaSize 208 (208 bytes)",
        "TotalDestinationSizeChange 301 (301 bytes)", "Errors 0",
    ];
}
