using BenchmarkDotNet.Attributes;
using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Benchmarks;

/// <summary>collection-status text and machine-log parsers, and the model's derived facts, by number of sets.</summary>
[MemoryDiagnoser]
public class CollectionStatusBenchmarks
{
    private string _text = "";
    private string _machine = "";
    private BackupCollection _collection = null!;

    [Params(10, 1000, 10000)]
    public int Sets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = Inputs.StatusText(Sets);
        _machine = Inputs.MachineStatus(Sets);
        _collection = StatusTextParser.Parse(_text, TimeZoneInfo.Utc, "bench");
        if (_collection.BackupSets != Sets || MachineStatusParser.Parse(_machine, "bench").BackupSets != Sets)
            throw new InvalidOperationException("the generated input does not parse to the sets it holds");
    }

    [Benchmark]
    public BackupCollection StatusText() => StatusTextParser.Parse(_text, TimeZoneInfo.Utc, "bench");

    [Benchmark]
    public BackupCollection MachineLog() => MachineStatusParser.Parse(_machine, "bench");

    [Benchmark]
    public BackupSet? LastCompleteBackupAndFull() => _collection.LastCompleteBackup is { } b ? _collection.LastCompleteFull ?? b : null;
}

/// <summary>Archive-dir file names: the grammar applied to every name of a cache.</summary>
[MemoryDiagnoser]
public class ArchiveNameBenchmarks
{
    private string[] _names = [];

    [GlobalSetup]
    public void Setup() => _names = Inputs.ArchiveNames(500);

    /// <summary>1,000 names (500 sets).</summary>
    [Benchmark]
    public int Parse1000Names()
    {
        var n = 0;
        foreach (var name in _names)
            if (ArchiveFileNameParser.TryParse(name, out var parsed) && parsed.Kind == ArchiveFileKind.Manifest) n++;
        return n;
    }
}
