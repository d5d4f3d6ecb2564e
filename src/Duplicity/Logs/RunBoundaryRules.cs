namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// Splits a log into runs (acquisition). duplicity prints no start marker at default verbosity, and a cron log
/// holds many runs, so the boundaries come from what every run prints in a fixed order and from how runs end
/// (verified on the fixtures of 0.8.22, 1.2.3, 2.1.4, 2.2.4, 3.0.4 and 3.1.0, text and machine forms):
/// <list type="number">
/// <item><b>Phases.</b> A run prints, in this order and each at most once: (0) <c>Using archive dir:</c> (-v5 and
/// up), (1) <c>No valid action found. Will imply 'backup'</c> (2.1+ cron form), (2) <c>Another duplicity instance
/// is already running</c> (the lock is taken right at start), (3) <c>Local and Remote metadata are synchronized</c> /
/// <c>Synchronizing remote metadata to local cache...</c>, (4) <c>Last full backup date:</c> (German forms too).
/// A phase line opens a new run when the current run is over (rule 2, 3) or when the current run already saw
/// that phase or a later one <i>and</i> got past start-up (phase 3 or later). The start-up condition exists
/// because 3.1.0 prints the implied-action line twice before syncing (orphaned-backup-files step 08).</item>
/// <item><b>Statistics end a run.</b> After the Backup Statistics block, any recognised duplicity line opens a new
/// run (a run prints nothing of its own after its statistics); unrecognised lines (a wrapper's "done") stay
/// with the finished run.</item>
/// <item><b>A fatal error ends a run.</b> One process stops at its first fatal error, so after it noise
/// (<c>Could not release lockfile</c>) and continuation lines stay with the run, while a fatal error of another
/// family, a statistics heading or a phase line opens a new run. (Known limit: two consecutive runs that fail
/// the same way without printing any phase line, e.g. 0.8.22 rsync to a closed port, merge into one run; the
/// verdict is the same.)</item>
/// <item><b>Re-exec.</b> After <c>Restart is impossible...starting backup from beginning.</c> duplicity re-executes
/// itself with the same PID; its phase lines continue the same run.</item>
/// <item><b>Unfinished.</b> A run with no statistics, no fatal error and no end of another action (cleanup,
/// remove-older-than, verify, collection-status) is unfinished: still running, or killed (SIGKILL leaves no
/// trace in the log). If its last line is the passphrase prompt, duplicity is waiting for the passphrase.</item>
/// <item><b>Lines before the first recognised line</b> (the tail of a run read by the previous check, wrapper
/// text) belong to no run; a region with no recognised line at all is reported, never taken for success.</item>
/// </list>
/// The machine form follows the same rules, stanza by stanza (its NOTICE stanzas carry the same texts), and the
/// form is detected per run: a run with any stanza is a machine-log run, whose codes win over texts.
/// </summary>
public static class RunBoundaryRules
{
    /// <summary>Phase lines at or after this one mean the run got past start-up.</summary>
    public const int StartedPhase = 3;

    /// <summary>Whether a phase line opens a new run, given the current run (null: no run yet).</summary>
    public static bool PhaseOpensRun(LogRun? current, int phase, bool reexecPending)
    {
        if (current is null) return true;
        if (current.IsOver) return true;
        if (reexecPending) return false;
        return current.MaxPhase >= phase && current.MaxPhase >= StartedPhase;
    }

    /// <summary>Whether a recognised line that is not a phase line opens a new run.</summary>
    public static bool LineOpensRun(LogRun? current, LineKind kind, KnownFailure? failure)
    {
        if (current is null) return kind is not (LineKind.Noise or LineKind.Blank or LineKind.Unknown);
        switch (current.End)
        {
            case RunEnd.Statistics:
                return kind is not (LineKind.Noise or LineKind.Blank or LineKind.Unknown);
            case RunEnd.FatalError:
                if (kind == LineKind.StatisticsHeading) return true;
                return kind == LineKind.Failure && failure is not null && KnownFailures.EndsRun(failure) && failure.Family != current.FatalFamily;
            default:
                return false;
        }
    }
}
