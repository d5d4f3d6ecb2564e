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
    private static string[] None => [];

    private static string[] RunByHand(FixCommands f) =>
        [$"run the job once by hand in tmux or screen and type the passphrase when asked: {f.RunJob}", $"then confirm: {f.CollectionStatus}"];

    private static string[] Confirm(FixCommands f) => [$"confirm the state of the backup: {f.CollectionStatus}"];

    public static readonly KnownFailure OrphanedFiles = new(
        "orphaned_files", ServiceState.Warning,
        "duplicity found orphaned backup files at the destination",
        "sets",
        ["Warning, found the following orphaned backup file", "WARNING. found the following orphaned backup file"],
        None, None, [MachineCode.Warning(6)],
        f => [$"delete them: {f.Cleanup}", $"then confirm: {f.CollectionStatus}"]);

    public static readonly KnownFailure IncompleteSets = new(
        "incomplete_sets", ServiceState.Warning,
        "duplicity found incomplete backup sets (left by an aborted run)",
        "sets",
        ["Warning, found incomplete backup sets", "WARNING. found incomplete backup sets", "WARNING. found missing difftar"],
        None, None, [MachineCode.Warning(5)],
        f => [$"the next backup resumes or restarts them; to delete them now: {f.Cleanup}", $"then confirm: {f.CollectionStatus}"]);

    public static readonly KnownFailure PassphraseEof = new(
        "passphrase_eof", ServiceState.Critical,
        "duplicity asked for the GPG passphrase and got EOF",
        "passphrase",
        None, None, ["EOFError"], [MachineCode.Error(30, "EOFError")],
        RunByHand);

    public static readonly KnownFailure PassphraseWait = new(
        "passphrase_wait", ServiceState.Critical,
        "duplicity is waiting for the GPG passphrase",
        "passphrase",
        None, None, None, [],
        RunByHand);

    public static readonly KnownFailure GpgFailed = new(
        "gpg_failed", ServiceState.Critical,
        "GPG failed (wrong passphrase or key?)",
        "gpg",
        ["GPGError: GPG Failed", "Error processing remote manifest", "Error processing remote file"],
        None, ["GPGError"], [MachineCode.Error(31), MachineCode.Error(1, message: "Error processing remote")],
        f => [$"check the passphrase and keys the job uses, then run it by hand: {f.RunJob}", $"then confirm: {f.CollectionStatus}"]);

    public static readonly KnownFailure LocalDiskFull = new(
        "local_disk_full", ServiceState.Critical,
        "the local disk is full (archive dir or temp dir: No space left on device)",
        "crash",
        None, None, ["OSError: [Errno 28]", "No space left on device"],
        [MachineCode.Error(30, message: "No space left on device"), MachineCode.Error(30, message: "Errno 28")],
        f => ["free space for the archive dir (cache) and the temp dir", .. RunByHand(f)]);

    public static readonly KnownFailure DestinationFull = new(
        "destination_full", ServiceState.Critical,
        "the backup destination is full (No space left on device)",
        "backend",
        None, ["No space left on device", "Errno 28"], None,
        [MachineCode.Error(53), MachineCode.Error(50, "BackendException", "No space left on device")],
        f => ["free space at the destination (duplicity remove-older-than / remove-all-but-n-full --force)", $"then remove the partial set: {f.Cleanup}", $"then confirm: {f.CollectionStatus}"]);

    public static readonly KnownFailure BackendAuth = new(
        "backend_auth", ServiceState.Critical,
        "the backend refused the login (Permission denied)",
        "backend",
        None, ["Permission denied"], None, [MachineCode.Error(51)],
        f => [$"check the backup user's ssh key or credentials for the destination, then: {f.CollectionStatus}"]);

    public static readonly KnownFailure BackendUnreachable = new(
        "backend_unreachable", ServiceState.Critical,
        "the backend is unreachable",
        "backend",
        ["BackendException: ssh connection to"],
        ["Connection refused", "Unable to connect", "failed to connect", "No route to host", "Name or service not known",
            "Could not resolve", "Connection timed out", "Network is unreachable"],
        None, [MachineCode.Error(38)],
        f => [$"check that the destination host and service are up and reachable from here, then: {f.CollectionStatus}"]);

    public static readonly KnownFailure BackendFailed = new(
        "backend_failed", ServiceState.Critical,
        "the backend failed and duplicity gave up",
        "backend",
        ["Giving up after ", "BackendException:"],
        None, ["BackendException"],
        [MachineCode.Error(23, "BackendException"), new("ERROR", 50, 56)],
        Confirm);

    public static readonly KnownFailure LockHeld = new(
        "lock_held", ServiceState.Warning,
        "another duplicity instance held the lock (a backup was still running?)",
        "lock",
        ["Another duplicity instance is already running", "Another instance is already running"],
        None, None, [MachineCode.Error(23, message: "Another")],
        f => ["check whether a backup is still running (check_duplicity_running, ps -C duplicity); if none is, the next run takes the lock again",
            $"then confirm: {f.CollectionStatus}"]);

    public static readonly KnownFailure TempSpace = new(
        "temp_space", ServiceState.Critical,
        "not enough temp space for the backup",
        "temp",
        ["Temp space has "], None, None, [MachineCode.Error(35)],
        f => [$"free space in the temp dir or point --tempdir elsewhere, then run the job: {f.RunJob}"]);

    public static readonly KnownFailure SourceChanged = new(
        "source_changed", ServiceState.Critical,
        "the backup source (directory or host) differs from the chain's",
        "source",
        ["Fatal Error: Backup source directory has changed", "Fatal Error: Backup source host has changed"],
        None, None, [MachineCode.Error(42), MachineCode.Error(3)],
        f => [$"if the change is intended, run once with --allow-source-mismatch or start a new full: {f.RunJob}"]);

    public static readonly KnownFailure EncryptionMismatch = new(
        "encryption_mismatch", ServiceState.Critical,
        "a restarted backup used other encryption settings than the interrupted one",
        "restart",
        ["Restarting backup, but current encryption settings do not match"],
        None, None, [MachineCode.Error(45)],
        f => [$"run with the original encryption settings, or delete the partial set: {f.Cleanup}", $"then confirm: {f.CollectionStatus}"]);

    public static readonly KnownFailure ManifestError = new(
        "manifest_error", ServiceState.Critical,
        "the backup's manifests are missing, unreadable or do not match",
        "manifest",
        ["Fatal Error: No manifests found", "Fatal Error: Remote manifest does not match", "Fatal Error: Neither remote nor local manifest"],
        None, None, [MachineCode.Error(4), MachineCode.Error(5), MachineCode.Error(6)],
        Confirm);

    public static readonly KnownFailure FatalError = new(
        "fatal_error", ServiceState.Critical,
        "duplicity stopped with a fatal error",
        "fatal",
        ["Fatal Error: "], None, None, [new("ERROR", 2, 99)],
        f => [$"read the error above; then run the job by hand: {f.RunJob}"]);

    public static readonly KnownFailure Crashed = new(
        "crashed", ServiceState.Critical,
        "duplicity crashed (traceback)",
        "crash",
        None, None, None, [MachineCode.Error(30)],
        f => [$"read the traceback; then run the job by hand: {f.RunJob}"]);

    public static readonly KnownFailure SourceErrors = new(
        "source_errors", ServiceState.Warning,
        "some source files could not be backed up (Errors > 0)",
        "source_errors",
        ["Error accessing possibly locked file"], None, None, [MachineCode.Warning(9), MachineCode.Warning(10)],
        _ => ["run the job with --verbosity info to see which files could not be read"]);

    public static readonly KnownFailure StatisticsDamaged = new(
        "statistics_damaged", ServiceState.Unknown,
        "backup statistics damaged",
        "statistics",
        None, None, None, [],
        f => [$"the block does not read as duplicity prints it, so it proves nothing: read the run in the log, then confirm: {f.CollectionStatus}"]);

    public static readonly KnownFailure VerifyDifferences = new(
        "verify_differences", ServiceState.Warning,
        "verify found differences between the backup and the source",
        "verify",
        None, None, None, [],
        f => [$"compare by hand: sudo -iu <user> duplicity verify --compare-data <destination> <source>; {f.CollectionStatus}"]);

    public static readonly KnownFailure ErrorReported = new(
        "error_reported", ServiceState.Warning,
        "duplicity reported an error",
        "error",
        None, None, None, [MachineCode.Error(1)],
        Confirm);

    public static readonly KnownFailure Unfinished = new(
        "unfinished", ServiceState.Warning,
        "the run did not finish (no Backup Statistics and no error: still running, or killed)",
        "unfinished",
        None, None, None, [],
        f => ["if no duplicity is running (check_duplicity_running), the run was killed", .. RunByHand(f)]);

    public static readonly KnownFailure JobCritical = new(
        "log_critical", ServiceState.Critical, "a line matched the job's log_critical pattern", "job", None, None, None, [], Confirm);

    public static readonly KnownFailure JobWarning = new(
        "log_warning", ServiceState.Warning, "a line matched the job's log_warning pattern", "job", None, None, None, [], Confirm);

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
