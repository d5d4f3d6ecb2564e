namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// Applies <see cref="RunBoundaryRules"/> to the classified lines the scanner feeds it, and hands every finished
/// run to a sink (so memory stays flat however many runs a log holds).
/// </summary>
internal sealed class RunBuilder(Action<LogRun> sink)
{
    private LogRun? _current;
    private bool _reexecPending;
    private int _count;

    public LogRun? Current => _current;

    public int RunCount => _count;

    /// <summary>Lines before the first recognised line (no run to put them in).</summary>
    public int OrphanLines { get; private set; }

    public void Phase(int phase, long offset, string? action, bool machine)
    {
        if (RunBoundaryRules.PhaseOpensRun(_current, phase, _reexecPending)) Open(offset);
        var run = _current!;
        if (_reexecPending && phase >= RunBoundaryRules.StartedPhase) _reexecPending = false;
        run.MaxPhase = Math.Max(run.MaxPhase, phase);
        Touch(run, offset, machine, action);
    }

    /// <summary>A recognised line of another kind; returns the run it belongs to.</summary>
    public LogRun Line(LineKind kind, long offset, string? action, bool machine, KnownFailure? failure = null)
    {
        if (RunBoundaryRules.LineOpensRun(_current, kind, failure)) Open(offset);
        var run = _current ??= OpenReturning(offset);
        Touch(run, offset, machine, action);
        if (kind == LineKind.RestartImpossible) _reexecPending = true;
        if (kind == LineKind.Maintenance && run.End == RunEnd.None) run.End = RunEnd.ActionDone;
        run.EndsAtPassphrasePrompt = kind == LineKind.PassphrasePrompt;
        return run;
    }

    public FailureHit Failure(KnownFailure failure, long offset, bool machine, int phase = 0)
    {
        if (phase > 0 && RunBoundaryRules.PhaseOpensRun(_current, phase, _reexecPending)) Open(offset);
        var run = Line(LineKind.Failure, offset, null, machine, failure);
        if (phase > 0) run.MaxPhase = Math.Max(run.MaxPhase, phase);
        FailureHit? hit = null;
        foreach (var h in run.Hits)
            if (ReferenceEquals(h.Failure, failure) && h.FromMachineLog == machine) { hit = h; break; }
        if (hit is null)
        {
            hit = new FailureHit(failure, offset, machine);
            run.Hits.Add(hit);
        }
        else hit.Count++;
        EndIfFatal(run, failure);
        return hit;
    }

    /// <summary>A failure turned out to be a more specific one (its message named the cause).</summary>
    public void Refined(FailureHit hit)
    {
        if (_current is { } run) EndIfFatal(run, hit.Failure);
    }

    private static void EndIfFatal(LogRun run, KnownFailure failure)
    {
        if (!KnownFailures.EndsRun(failure)) return;
        if (run.End != RunEnd.FatalError) run.FatalFamily = failure.Family;
        run.End = RunEnd.FatalError;
    }

    /// <summary>A statistics block ended; returns the run it belongs to.</summary>
    public LogRun Statistics(BackupStatistics stats, long offset, bool machine)
    {
        var run = Line(LineKind.StatisticsHeading, offset, "backup", machine);
        run.Statistics = stats;
        run.StatisticsOffset = offset;
        run.SawBackupLine = true;
        if (run.End != RunEnd.FatalError) run.End = RunEnd.Statistics;
        if (stats.Errors is > 0)
        {
            var hit = new FailureHit(KnownFailures.SourceErrors, offset, machine);
            hit.AddLine($"Errors {stats.Errors} in the Backup Statistics");
            run.Hits.Add(hit);
        }
        return run;
    }

    /// <summary>A line after a block changed what it says (a repeated closing line damages it).</summary>
    public static void StatisticsAmended(LogRun run, BackupStatistics stats) => run.Statistics = stats;

    public void Verify(long differences, string line, long offset, bool machine)
    {
        var run = Line(LineKind.VerifyComplete, offset, "verify", machine);
        run.VerifyDifferences = differences;
        if (run.End == RunEnd.None) run.End = RunEnd.ActionDone;
        if (differences > 0)
        {
            var hit = new FailureHit(KnownFailures.VerifyDifferences, offset, machine);
            hit.AddLine(line);
            run.Hits.Add(hit);
        }
    }

    /// <summary>A line that only follows something else (lock release noise): never opens a run.</summary>
    public void Noise(long offset)
    {
        if (_current is null) OrphanLines++;
        else _current.EndOffset = Math.Max(_current.EndOffset, offset);
    }

    public void Unknown(long offset)
    {
        if (_current is null) OrphanLines++;
        else
        {
            _current.UnknownLines++;
            _current.EndOffset = Math.Max(_current.EndOffset, offset);
        }
    }

    /// <summary>Any non-blank line that is not a passphrase prompt ends "waiting at the prompt".</summary>
    public void NotAPrompt()
    {
        if (_current is not null) _current.EndsAtPassphrasePrompt = false;
    }

    public void Finish(long endOffset)
    {
        if (_current is null) return;
        _current.EndOffset = Math.Max(_current.EndOffset, endOffset);
        Close(_current);
        _current = null;
    }

    private static void Touch(LogRun run, long offset, bool machine, string? action)
    {
        run.RecognisedLines++;
        run.EndOffset = Math.Max(run.EndOffset, offset);
        if (machine) run.IsMachineLog = true;
        if (action is null) return;
        if (action == "backup") run.SawBackupLine = true;
        // The first action a run names is its action (a backup's "Difference found" does not make it a verify).
        run.Action ??= action;
    }

    private void Open(long offset)
    {
        if (_current is not null) Close(_current);
        _current = OpenReturning(offset);
    }

    private LogRun OpenReturning(long offset)
    {
        _reexecPending = false;
        return new LogRun { Index = _count++, StartOffset = offset, EndOffset = offset };
    }

    private void Close(LogRun run)
    {
        // Judged when the run ends: a repeated closing line is only seen after the block.
        if (run.Statistics is { DamageReason: { } damage } stats)
        {
            var hit = new FailureHit(KnownFailures.StatisticsDamaged, run.StatisticsOffset, run.IsMachineLog) { Detail = damage };
            if (stats.DamagedLine is { } line) hit.AddLine(line);
            run.Hits.Add(hit);
        }
        // A backup that printed a collection-status block (-v8 and up) or its --jsonstat JSON is not over with it:
        // without its statistics it did not finish.
        if (run.End == RunEnd.ActionDone && run.SawBackupLine && run.Statistics is null && run.VerifyDifferences is null)
            run.End = RunEnd.None;
        // A critical failure that duplicity survives (the GPG manifest error) explains the missing end itself.
        if (run.End == RunEnd.None && !HasCritical(run))
        {
            var f = run.EndsAtPassphrasePrompt ? KnownFailures.PassphraseWait : KnownFailures.Unfinished;
            run.Hits.Add(new FailureHit(f, run.EndOffset, false));
        }
        sink(run);
    }

    // A loop, not Enumerable.Any: this runs for every run of a big log.
    private static bool HasCritical(LogRun run)
    {
        foreach (var h in run.Hits)
            if (h.Failure.Severity == DuplicityChecks.Plugin.ServiceState.Critical) return true;
        return false;
    }
}
