using DuplicityChecks.Duplicity.Logs;

namespace DuplicityChecks.Checks.Log;

/// <summary>What was read from the log, and the runs to judge (acquisition result).</summary>
public sealed record LogScanResult
{
    public required string Path { get; init; }
    public bool Missing { get; init; }
    public LogScope Scope { get; init; }
    public DateTime? LastWriteUtc { get; init; }
    public long Length { get; init; }

    /// <summary>Bytes read from the log (and a rotated predecessor) for this check.</summary>
    public long BytesRead { get; init; }

    /// <summary>Where the forward scan started (a byte offset of the log), or the tail's start for --scope new.</summary>
    public long ScanStart { get; init; }

    /// <summary>How --scope new chose where to start (rotation, truncation, ...).</summary>
    public string? TailExplanation { get; init; }

    /// <summary>Why the state file was not usable (it was rebuilt).</summary>
    public string? StateProblem { get; init; }

    /// <summary>Why --scope new did not save its position (another user's state directory): said in the output.</summary>
    public string? PositionNotSaved { get; init; }

    /// <summary>--scope new found no new bytes.</summary>
    public bool NothingNew { get; init; }

    /// <summary>--scope new had no saved position: the first check of this log.</summary>
    public bool FirstRun { get; init; }

    /// <summary>Why --scope new read the log again from the start (truncated, rewritten in place), for the output.</summary>
    public string? Restarted { get; init; }

    /// <summary>
    /// --scope new: the last run, still being written (no statistics, no fatal error, no end of its action, nothing
    /// wrong so far). It is not in <see cref="Runs"/>: its position is not committed, so the next check reads it
    /// again from its first line and judges it whole once it has ended.
    /// </summary>
    public LogRun? InProgress { get; init; }

    /// <summary>When this check (or an earlier one) first saw <see cref="InProgress"/>.</summary>
    public DateTimeOffset? InProgressSince { get; init; }

    /// <summary>
    /// --scope new: the new lines hold no duplicity line yet (a wrapper's header before duplicity starts); they are
    /// not committed, the next check reads them again with what follows.
    /// </summary>
    public bool WaitingForRun { get; init; }

    /// <summary>
    /// The runs to judge: for last-run, the most recent run that is not a cleanup/remove/verify/collection-status
    /// plus those after it; for new and all, the runs with failures (capped) and the last run.
    /// </summary>
    public IReadOnlyList<LogRun> Runs { get; init; } = [];

    public int RunCount { get; init; }
    public int FailedRunCount { get; init; }
    public LogRun? LastRun { get; init; }

    /// <summary>The most recent run with a Backup Statistics block (perfdata).</summary>
    public LogRun? LastStatisticsRun { get; init; }

    /// <summary>Lines scanned that belong to no run (no recognised duplicity line before them).</summary>
    public int OrphanLines { get; init; }

    public long LinesScanned { get; init; }
}
