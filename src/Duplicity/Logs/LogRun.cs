using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>How a run ended.</summary>
public enum RunEnd
{
    /// <summary>Neither statistics nor a fatal error nor the end of another action: still running, or killed.</summary>
    None,
    Statistics,
    FatalError,
    /// <summary>A non-backup action (cleanup, remove-older-than, verify, collection-status) printed its result.</summary>
    ActionDone,
}

/// <summary>One failure found in a run, with the lines that show it (as written, capped; masked when shown).</summary>
public sealed class FailureHit(KnownFailure failure, long offset, bool fromMachineLog)
{
    public const int MaxLines = 6;
    public const int MaxLineLength = 300;

    public KnownFailure Failure { get; internal set; } = failure;

    public long Offset { get; } = offset;

    /// <summary>Found through a machine-log code (these win over texts).</summary>
    public bool FromMachineLog { get; } = fromMachineLog;

    /// <summary>How many times the failure was seen in the run (orphan warnings repeat).</summary>
    public int Count { get; internal set; } = 1;

    public List<string> Lines { get; } = [];

    /// <summary>What exactly went wrong, when the failure's summary alone does not say (shown after it).</summary>
    public string? Detail { get; internal set; }

    /// <summary>The summary, with the detail when there is one.</summary>
    public string Said => Detail is null ? Failure.Summary : $"{Failure.Summary}: {Detail}";

    /// <summary>Keeps a line as written (masked when shown), cut between words: half a URL would escape the masking.</summary>
    internal void AddLine(string line)
    {
        if (Lines.Count >= MaxLines || line.Length == 0) return;
        var kept = ShortText.Cut(line, MaxLineLength);
        if (!Lines.Contains(kept)) Lines.Add(kept);
    }
}

/// <summary>One duplicity run found in a log (acquisition result). See <see cref="RunBoundaryRules"/>.</summary>
public sealed class LogRun
{
    public int Index { get; internal set; }

    /// <summary>Offset (bytes, from where the scan started) of the run's first line.</summary>
    public long StartOffset { get; internal set; }

    public long EndOffset { get; internal set; }

    /// <summary>The run came (at least partly) as machine-log stanzas (<c>--log-file</c> / <c>--log-fd</c>).</summary>
    public bool IsMachineLog { get; internal set; }

    public int MaxPhase { get; internal set; } = -1;

    public RunEnd End { get; internal set; }

    /// <summary>The family of the fatal error that ended the run.</summary>
    public string? FatalFamily { get; internal set; }

    public BackupStatistics? Statistics { get; internal set; }

    /// <summary>Offset of the statistics heading.</summary>
    public long StatisticsOffset { get; internal set; }

    /// <summary>backup, cleanup, remove, verify, collection-status, or null when the lines do not say.</summary>
    public string? Action { get; internal set; }

    public bool SawBackupLine { get; internal set; }

    public List<FailureHit> Hits { get; } = [];

    public int RecognisedLines { get; internal set; }

    public int UnknownLines { get; internal set; }

    /// <summary>The run's last non-blank line was a passphrase prompt with nothing after it.</summary>
    public bool EndsAtPassphrasePrompt { get; internal set; }

    public long? VerifyDifferences { get; internal set; }

    public bool IsOver => End != RunEnd.None;

    /// <summary>A cleanup/remove/verify/collection-status run (not a backup).</summary>
    public bool IsMaintenance => Action is "cleanup" or "remove" or "verify" or "collection-status" && !SawBackupLine && Statistics is null;

    /// <summary>
    /// The failures that count: when the run has machine-log stanzas, their codes win and failures read from
    /// text lines are dropped (a job that logs both forms into one file would otherwise count everything twice);
    /// the job's own patterns always count. The same failure is listed once.
    /// </summary>
    public IReadOnlyList<FailureHit> Failures => _failures ??= MergeFailures();

    // Computed once, when the finished run is first judged (merging adds the counts of duplicates).
    private IReadOnlyList<FailureHit>? _failures;

    private IReadOnlyList<FailureHit> MergeFailures()
    {
        {
            if (Hits.Count == 0) return [];
            var list = new List<FailureHit>();
            foreach (var h in Hits)
            {
                if (IsMachineLog && !h.FromMachineLog && h.Failure.Family != "job" && h.Failure.Family != "unfinished"
                    && h.Failure.Family != "source_errors" && h.Failure.Family != "statistics" && h.Failure != KnownFailures.VerifyDifferences)
                    continue;
                FailureHit? same = null;
                foreach (var x in list)
                    if (x.Failure == h.Failure) { same = x; break; }
                if (same is null) list.Add(h);
                else
                {
                    same.Count += h.Count;
                    foreach (var l in h.Lines) if (!same.Lines.Contains(l)) same.AddLine(l);
                }
            }
            return list;
        }
    }

    /// <summary>When the run ended (statistics EndTime) or started, as epoch seconds, if it says.</summary>
    public double? Epoch => Statistics?.EndTime ?? Statistics?.StartTime;
}
