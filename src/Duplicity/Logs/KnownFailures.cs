using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// The one table of known failures (duplicity-formats.md §3.6 and §4, verified against the fixtures of 0.8.22 to
/// 3.1.0). Order matters: the first row whose machine code matches wins, and when a run has several failures of
/// the same severity the summary names the one that comes first here (the more specific one).
/// </summary>
public static class KnownFailures
{
    private static string[] RunByHand(FixCommands f) =>
        [$"run the job once by hand in tmux or screen and type the passphrase when asked: {f.RunJob}", $"then confirm: {f.CollectionStatus}"];

    private static string[] Confirm(FixCommands f) => [$"confirm the state of the backup: {f.CollectionStatus}"];

    public static readonly KnownFailure OrphanedFiles = new()
    {
        Name = "orphaned_files",
        Severity = ServiceState.Warning,
        Summary = "duplicity found orphaned backup files at the destination",
        Family = "sets",
        LineStarts = ["Warning, found the following orphaned backup file", "WARNING. found the following orphaned backup file"],
        Codes = [MachineCode.Warning(6)],
        Fix = f => [$"delete them: {f.Cleanup}", $"then confirm: {f.CollectionStatus}"],
    };

    public static readonly KnownFailure IncompleteSets = new()
    {
        Name = "incomplete_sets",
        Severity = ServiceState.Warning,
        Summary = "duplicity found incomplete backup sets (left by an aborted run)",
        Family = "sets",
        LineStarts = ["Warning, found incomplete backup sets", "WARNING. found incomplete backup sets", "WARNING. found missing difftar"],
        Codes = [MachineCode.Warning(5)],
        Fix = f => [$"the next backup resumes or restarts them; to delete them now: {f.Cleanup}", $"then confirm: {f.CollectionStatus}"],
    };

    public static readonly KnownFailure PassphraseEof = new()
    {
        Name = "passphrase_eof",
        Severity = ServiceState.Critical,
        Summary = "duplicity asked for the GPG passphrase and got EOF",
        Family = "passphrase",
        Exceptions = ["EOFError"],
        Codes = [MachineCode.Error(30, "EOFError")],
        Fix = RunByHand,
    };

    public static readonly KnownFailure PassphraseWait = new()
    {
        Name = "passphrase_wait",
        Severity = ServiceState.Critical,
        Summary = "duplicity is waiting for the GPG passphrase",
        Family = "passphrase",
        Fix = RunByHand,
    };

    public static readonly KnownFailure GpgFailed = new()
    {
        Name = "gpg_failed",
        Severity = ServiceState.Critical,
        Summary = "GPG failed (wrong passphrase or key?)",
        Family = "gpg",
        LineStarts = ["GPGError: GPG Failed", "Error processing remote manifest", "Error processing remote file"],
        Exceptions = ["GPGError"],
        Codes = [MachineCode.Error(31), MachineCode.Error(1, message: "Error processing remote")],
        Fix = f => [$"check the passphrase and keys the job uses, then run it by hand: {f.RunJob}", $"then confirm: {f.CollectionStatus}"],
    };

    public static readonly KnownFailure LocalDiskFull = new()
    {
        Name = "local_disk_full",
        Severity = ServiceState.Critical,
        Summary = "the local disk is full (archive dir or temp dir: No space left on device)",
        Family = "crash",
        Exceptions = ["OSError: [Errno 28]", "No space left on device"],
        Codes = [MachineCode.Error(30, message: "No space left on device"), MachineCode.Error(30, message: "Errno 28")],
        Fix = f => ["free space for the archive dir (cache) and the temp dir", .. RunByHand(f)],
    };

    public static readonly KnownFailure DestinationFull = new()
    {
        Name = "destination_full",
        Severity = ServiceState.Critical,
        Summary = "the backup destination is full (No space left on device)",
        Family = "backend",
        Details = ["No space left on device", "Errno 28"],
        Codes = [MachineCode.Error(53), MachineCode.Error(50, "BackendException", "No space left on device")],
        Fix = f =>
        [
            "free space at the destination (duplicity remove-older-than / remove-all-but-n-full --force)", $"then remove the partial set: {f.Cleanup}",
            $"then confirm: {f.CollectionStatus}",
        ],
    };

    public static readonly KnownFailure BackendAuth = new()
    {
        Name = "backend_auth",
        Severity = ServiceState.Critical,
        Summary = "the backend refused the login (Permission denied)",
        Family = "backend",
        Details = ["Permission denied"],
        Codes = [MachineCode.Error(51)],
        Fix = f => [$"check the backup user's ssh key or credentials for the destination, then: {f.CollectionStatus}"],
    };

    public static readonly KnownFailure BackendUnreachable = new()
    {
        Name = "backend_unreachable",
        Severity = ServiceState.Critical,
        Summary = "the backend is unreachable",
        Family = "backend",
        LineStarts = ["BackendException: ssh connection to"],
        Details =
        [
            "Connection refused", "Unable to connect", "failed to connect", "No route to host", "Name or service not known", "Could not resolve",
            "Connection timed out", "Network is unreachable",
        ],
        Codes = [MachineCode.Error(38)],
        Fix = f => [$"check that the destination host and service are up and reachable from here, then: {f.CollectionStatus}"],
    };

    public static readonly KnownFailure BackendFailed = new()
    {
        Name = "backend_failed",
        Severity = ServiceState.Critical,
        Summary = "the backend failed and duplicity gave up",
        Family = "backend",
        LineStarts = ["Giving up after ", "BackendException:"],
        Exceptions = ["BackendException"],
        Codes = [MachineCode.Error(23, "BackendException"), new("ERROR", 50, 56)],
        Fix = Confirm,
    };

    public static readonly KnownFailure LockHeld = new()
    {
        Name = "lock_held",
        Severity = ServiceState.Warning,
        Summary = "another duplicity instance held the lock (a backup was still running?)",
        Family = "lock",
        LineStarts = ["Another duplicity instance is already running", "Another instance is already running"],
        Codes = [MachineCode.Error(23, message: "Another")],
        Fix = f =>
        [
            "check whether a backup is still running (check_duplicity_running, ps -C duplicity); if none is, the next run takes the lock again",
            $"then confirm: {f.CollectionStatus}",
        ],
    };

    public static readonly KnownFailure TempSpace = new()
    {
        Name = "temp_space",
        Severity = ServiceState.Critical,
        Summary = "not enough temp space for the backup",
        Family = "temp",
        LineStarts = ["Temp space has "],
        Codes = [MachineCode.Error(35)],
        Fix = f => [$"free space in the temp dir or point --tempdir elsewhere, then run the job: {f.RunJob}"],
    };

    public static readonly KnownFailure SourceChanged = new()
    {
        Name = "source_changed",
        Severity = ServiceState.Critical,
        Summary = "the backup source (directory or host) differs from the chain's",
        Family = "source",
        LineStarts = ["Fatal Error: Backup source directory has changed", "Fatal Error: Backup source host has changed"],
        Codes = [MachineCode.Error(42), MachineCode.Error(3)],
        Fix = f => [$"if the change is intended, run once with --allow-source-mismatch or start a new full: {f.RunJob}"],
    };

    public static readonly KnownFailure EncryptionMismatch = new()
    {
        Name = "encryption_mismatch",
        Severity = ServiceState.Critical,
        Summary = "a restarted backup used other encryption settings than the interrupted one",
        Family = "restart",
        LineStarts = ["Restarting backup, but current encryption settings do not match"],
        Codes = [MachineCode.Error(45)],
        Fix = f => [$"run with the original encryption settings, or delete the partial set: {f.Cleanup}", $"then confirm: {f.CollectionStatus}"],
    };

    public static readonly KnownFailure ManifestError = new()
    {
        Name = "manifest_error",
        Severity = ServiceState.Critical,
        Summary = "the backup's manifests are missing, unreadable or do not match",
        Family = "manifest",
        LineStarts =
            ["Fatal Error: No manifests found", "Fatal Error: Remote manifest does not match", "Fatal Error: Neither remote nor local manifest"],
        Codes = [MachineCode.Error(4), MachineCode.Error(5), MachineCode.Error(6)],
        Fix = Confirm,
    };

    public static readonly KnownFailure FatalError = new()
    {
        Name = "fatal_error",
        Severity = ServiceState.Critical,
        Summary = "duplicity stopped with a fatal error",
        Family = "fatal",
        LineStarts = ["Fatal Error: "],
        Codes = [new("ERROR", 2, 99)],
        Fix = f => [$"read the error above; then run the job by hand: {f.RunJob}"],
    };

    public static readonly KnownFailure Crashed = new()
    {
        Name = "crashed",
        Severity = ServiceState.Critical,
        Summary = "duplicity crashed (traceback)",
        Family = "crash",
        Codes = [MachineCode.Error(30)],
        Fix = f => [$"read the traceback; then run the job by hand: {f.RunJob}"],
    };

    public static readonly KnownFailure SourceErrors = new()
    {
        Name = "source_errors",
        Severity = ServiceState.Warning,
        Summary = "some source files could not be backed up (Errors > 0)",
        Family = "source_errors",
        LineStarts = ["Error accessing possibly locked file"],
        Codes = [MachineCode.Warning(9), MachineCode.Warning(10)],
        Fix = _ => ["run the job with --verbosity info to see which files could not be read"],
    };

    public static readonly KnownFailure StatisticsDamaged = new()
    {
        Name = "statistics_damaged",
        Severity = ServiceState.Unknown,
        Summary = "backup statistics damaged",
        Family = "statistics",
        Fix = f =>
            [$"the block does not read as duplicity prints it, so it proves nothing: read the run in the log, then confirm: {f.CollectionStatus}"],
    };

    public static readonly KnownFailure VerifyDifferences = new()
    {
        Name = "verify_differences",
        Severity = ServiceState.Warning,
        Summary = "verify found differences between the backup and the source",
        Family = "verify",
        Fix = f => [$"compare by hand: sudo -iu <user> duplicity verify --compare-data <destination> <source>; {f.CollectionStatus}"],
    };

    public static readonly KnownFailure ErrorReported = new()
    {
        Name = "error_reported",
        Severity = ServiceState.Warning,
        Summary = "duplicity reported an error",
        Family = "error",
        Codes = [MachineCode.Error(1)],
        Fix = Confirm,
    };

    public static readonly KnownFailure Unfinished = new()
    {
        Name = "unfinished",
        Severity = ServiceState.Warning,
        Summary = "the run did not finish (no Backup Statistics and no error: still running, or killed)",
        Family = "unfinished",
        Fix = f => ["if no duplicity is running (check_duplicity_running), the run was killed", .. RunByHand(f)],
    };

    public static readonly KnownFailure JobCritical = new()
    {
        Name = "log_critical",
        Severity = ServiceState.Critical,
        Summary = "a line matched the job's log_critical pattern",
        Family = "job",
        Fix = Confirm,
    };

    public static readonly KnownFailure JobWarning = new()
    {
        Name = "log_warning",
        Severity = ServiceState.Warning,
        Summary = "a line matched the job's log_warning pattern",
        Family = "job",
        Fix = Confirm,
    };

    // An array, not the interface: the scanner walks it for every failure line of a big log.
    private static readonly KnownFailure[] Table =
    [
        PassphraseEof, PassphraseWait, GpgFailed, LocalDiskFull, DestinationFull, BackendAuth, BackendUnreachable, BackendFailed,
        TempSpace, SourceChanged, EncryptionMismatch, ManifestError, LockHeld, Crashed, FatalError, JobCritical,
        OrphanedFiles, IncompleteSets, SourceErrors, StatisticsDamaged, VerifyDifferences, Unfinished, ErrorReported, JobWarning,
    ];

    /// <summary>Every row, most specific first.</summary>
    public static IReadOnlyList<KnownFailure> All => Table;

    /// <summary>Table order, for naming the most specific of several failures of one severity.</summary>
    public static int Rank(KnownFailure f)
    {
        // The scanner asks for the same failure line after line; one holder object, so threads never see a torn pair.
        if (_lastRank is { } last && ReferenceEquals(last.Failure, f)) return last.Rank;
        var rank = FindRank(f);
        _lastRank = new RankOf(f, rank);
        return rank;
    }

    private sealed record RankOf(KnownFailure Failure, int Rank);

    private static RankOf? _lastRank;

    private static int FindRank(KnownFailure f)
    {
        for (var i = 0; i < Table.Length; i++) if (ReferenceEquals(Table[i], f)) return i;
        return Table.Length;
    }

    public static KnownFailure? ByName(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>The row a machine-log stanza means, or null (machine codes win over texts).</summary>
    public static KnownFailure? ForStanza(string level, int code, string extra, string message)
    {
        if (level is not ("ERROR" or "CRITICAL" or "WARNING")) return null;
        foreach (var f in Table)
            foreach (var c in f.Codes)
                if (c.Matches(level, code, extra, message)) return f;
        return null;
    }

    /// <summary>The more specific row of <paramref name="failure"/>'s family whose detail text occurs in <paramref name="text"/>.</summary>
    public static KnownFailure Refine(KnownFailure failure, ReadOnlySpan<char> text)
    {
        // Only rows before this one in the table, of the same family and with details, are more specific.
        var rank = Rank(failure);
        var refiners = rank < Table.Length ? RefinersByRank[rank] : Refiners(rank, failure);
        foreach (var f in refiners)
            foreach (var d in f.Details)
                if (text.Contains(d, StringComparison.Ordinal)) return f;
        return failure;
    }

    // Computed once: the scanner refines every failure line and continuation line of a big log, and most
    // failures have no row that could refine them.
    private static readonly KnownFailure[][] RefinersByRank = [.. Table.Select((f, rank) => Refiners(rank, f))];

    private static KnownFailure[] Refiners(int rank, KnownFailure failure)
        => [.. Table.Take(rank).Where(f => f.Details.Length > 0 && f.Family == failure.Family)];

    public static KnownFailure ForException(ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim();
        // A backend exception names its cause in its message (No space left, Permission denied...).
        if (trimmed.Contains("BackendException", StringComparison.Ordinal)) return Refine(BackendFailed, trimmed);
        foreach (var f in Table)
            foreach (var e in f.Exceptions)
                if (trimmed.StartsWith(e, StringComparison.Ordinal)) return f;
        foreach (var f in Table)
            foreach (var e in f.Exceptions)
                if (trimmed.Contains(e, StringComparison.Ordinal)) return f;
        return Crashed;
    }

    /// <summary>
    /// Failures after which duplicity stops (the run is over). Warnings, and the GPG manifest error that 0.8.x
    /// survives, are not: the run may still reach its statistics.
    /// </summary>
    public static bool EndsRun(KnownFailure f) => f.Severity == ServiceState.Critical && f != GpgFailed && f != JobCritical && f != PassphraseWait
        || f == LockHeld;
}
