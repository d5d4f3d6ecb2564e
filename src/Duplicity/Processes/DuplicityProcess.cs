namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// One running duplicity (acquisition result): the process, what its command line asks for, the archive dir
/// it uses, its lock, its descendants (gpg, rsync, ssh, lftp... listed, not counted as instances) and, when it
/// sits at a terminal prompt, which process waits on which terminal.
/// </summary>
public sealed record DuplicityProcess(
    ProcessEntry Process,
    DuplicityArguments Arguments,
    string? ArchiveDir,
    bool ArchiveDirIsDefault,
    LockStatus Lock,
    IReadOnlyList<ProcessEntry> Children,
    TerminalInputWait? Waiting)
{
    public int Pid => Process.Pid;

    public DateTimeOffset? StartUtc => Process.StartUtc;

    public string? User => Process.User;

    /// <summary><c>&lt;archive dir&gt;/&lt;backup name&gt;/lockfile</c>, when both are known.</summary>
    public string? LockFile => ArchiveDir is null || Arguments.BackupName is null ? null : Path.Combine(ArchiveDir, Arguments.BackupName, "lockfile");

    /// <summary>
    /// Seconds since the start at <paramref name="now"/>, to 0.01 s (the kernel's clock tick); null when the start
    /// is unknown. Never negative: a capture replayed with an earlier --now says 0.
    /// </summary>
    public double? ElapsedSeconds(DateTimeOffset now) => StartUtc is { } s ? Math.Max(0, Math.Round((now - s).TotalSeconds, 2)) : null;
}

/// <summary>A process of an instance (itself or a child such as gpg) blocked reading a terminal.</summary>
public sealed record TerminalInputWait(int Pid, string ProgramName, string Terminal);
