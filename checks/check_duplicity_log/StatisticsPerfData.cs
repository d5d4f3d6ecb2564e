using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Log;

/// <summary>The Backup Statistics of the last backup as the check's perfdata.</summary>
public static class StatisticsPerfData
{
    /// <summary>The perfdata of the issue, labels exactly: elapsed_time (s), sizes (B), counts.</summary>
    public static IEnumerable<PerfDatum> Of(BackupStatistics s)
    {
        yield return new PerfDatum("elapsed_time", s.ElapsedTime, "s", Min: 0);
        yield return new PerfDatum("source_files", s.SourceFiles, Min: 0);
        yield return new PerfDatum("source_file_size", s.SourceFileSize, "B", Min: 0);
        yield return new PerfDatum("new_files", s.NewFiles, Min: 0);
        yield return new PerfDatum("deleted_files", s.DeletedFiles, Min: 0);
        yield return new PerfDatum("changed_files", s.ChangedFiles, Min: 0);
        yield return new PerfDatum("changed_file_size", s.ChangedFileSize, "B", Min: 0);
        yield return new PerfDatum("raw_delta_size", s.RawDeltaSize, "B", Min: 0);
        yield return new PerfDatum("destination_size_change", s.TotalDestinationSizeChange, "B");
        yield return new PerfDatum("errors", s.Errors, Min: 0);
    }
}
