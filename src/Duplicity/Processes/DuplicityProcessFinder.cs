using DuplicityChecks.Duplicity.Locks;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>What a scan found: the matching instances (oldest first), the table's origin, and the holder of the lockfile the filter designates.</summary>
public sealed record DuplicityProcessScan(
    IReadOnlyList<DuplicityProcess> Instances,
    string Source,
    bool LocksKnown,
    string? FilterLockFile,
    int? FilterLockHolder);

/// <summary>The machine touchpoints of a scan besides the process table, each replaceable in tests.</summary>
public sealed record FinderSeams
{
    public static readonly FinderSeams Default = new();

    /// <summary>What a path names (lstat: its device and inode); null when it does not exist or cannot be seen.</summary>
    public Func<string, FileStatus?> FileIdentity { get; init; } = FileStatus.OfName;

    public UserDirectory Users { get; init; } = new();
}

/// <summary>
/// Finds the running duplicity processes (acquisition): recognise them by command line, read the details of
/// those only, apply the filter, group their children, detect a terminal prompt, and match the lockfile against
/// the kernel's lock table. Processes that vanish mid-scan are skipped. The freshness check calls
/// <see cref="Find(string, ProcessFilter?, DateTimeOffset)"/> to say "backup in progress since T (PID n)".
/// </summary>
public static class DuplicityProcessFinder
{
    private const int MaxDescendants = 64;
    private const int MaxDepth = 4;

    /// <summary>The matching duplicity processes under a /proc root (default /proc), oldest first.</summary>
    public static IReadOnlyList<DuplicityProcess> Find(string procRoot, ProcessFilter? filter, DateTimeOffset now)
        => Scan(new ProcProcessSource(procRoot, now), filter ?? ProcessFilter.All).Instances;

    public static DuplicityProcessScan Scan(IProcessSource source, ProcessFilter filter, FinderSeams? seams = null, CancellationToken cancellation = default)
    {
        seams ??= FinderSeams.Default;
        var candidates = new List<ProcessEntry>();
        foreach (var command in source.Commands(DuplicityRecognizer.MayBeDuplicity))
        {
            cancellation.ThrowIfCancellationRequested();
            if (!DuplicityRecognizer.IsDuplicity(command.Argv) || !filter.MatchesCommandLine(command.Argv)) continue;
            var entry = source.Describe(command.Pid);
            // Gone since it was listed, or the PID was reused by something else meanwhile.
            if (entry is null || !DuplicityRecognizer.IsDuplicity(entry.Argv)) continue;
            candidates.Add(entry with { ArgvTruncated = entry.ArgvTruncated || command.Truncated });
        }

        var pids = candidates.Select(c => c.Pid).ToHashSet();
        var locks = candidates.Count > 0 || filter.LockFile is not null ? source.Locks() : null;
        var instances = new List<DuplicityProcess>();
        foreach (var entry in candidates)
        {
            // A duplicity whose parent is one too is a wrapper's double (sudo, a launcher script): count it once.
            if (entry.ParentPid is { } parent && pids.Contains(parent)) continue;
            var arguments = DuplicityArguments.Parse(entry.Argv);
            var (archiveDir, isDefault) = ArchiveDirOf(source, entry, arguments, seams.Users);
            var children = Descendants(source, entry.Pid);
            var waiting = WaitOf(entry, children);
            var process = new DuplicityProcess(entry, arguments, archiveDir, isDefault, new LockStatus(LockState.Unknown, null), children, waiting);
            if (!filter.Matches(process)) continue;
            instances.Add(process with { Lock = LockOf(process, locks, seams) });
        }
        instances.Sort((a, b) => (a.StartUtc ?? DateTimeOffset.MaxValue).CompareTo(b.StartUtc ?? DateTimeOffset.MaxValue) is var c && c != 0 ? c : a.Pid.CompareTo(b.Pid));

        int? filterHolder = null;
        if (filter.LockFile is { } lockFile && locks is not null && seams.FileIdentity(lockFile) is { } id)
            filterHolder = ProcLocks.HolderOf(locks, id);
        return new DuplicityProcessScan(instances, source.Description, locks is not null, filter.LockFile, filterHolder);
    }

    /// <summary>
    /// <c>--archive-dir</c> (with <c>~</c> and a relative path resolved as duplicity does), else duplicity's
    /// default <c>$XDG_CACHE_HOME/duplicity</c>, <c>$HOME/.cache/duplicity</c> from the process environment,
    /// else the user's home from the passwd file.
    /// </summary>
    private static (string? Dir, bool IsDefault) ArchiveDirOf(IProcessSource source, ProcessEntry p, DuplicityArguments args, UserDirectory users)
    {
        string? Home() => source.EnvironmentValue(p.Pid, "HOME") is { Length: > 0 } h ? h : p.Uid is { } uid ? users.HomeOf(uid) : null;
        if (args.ArchiveDir is { Length: > 0 } dir)
        {
            if (dir == "~" || dir.StartsWith("~/", StringComparison.Ordinal))
                return Home() is { } home ? (home + dir[1..], false) : (null, false);
            if (!Path.IsPathRooted(dir))
                return source.WorkingDirectory(p.Pid) is { } cwd ? (Path.GetFullPath(Path.Combine(cwd, dir)), false) : (null, false);
            return (dir, false);
        }
        if (source.EnvironmentValue(p.Pid, "XDG_CACHE_HOME") is { Length: > 0 } xdg) return (Path.Combine(xdg, "duplicity"), true);
        return Home() is { } h2 ? (Path.Combine(h2, ".cache", "duplicity"), true) : (null, true);
    }

    private static List<ProcessEntry> Descendants(IProcessSource source, int pid)
    {
        var result = new List<ProcessEntry>();
        var frontier = new List<int> { pid };
        for (var depth = 0; depth < MaxDepth && frontier.Count > 0 && result.Count < MaxDescendants; depth++)
        {
            var next = new List<int>();
            foreach (var parent in frontier)
                foreach (var child in source.ChildrenOf(parent))
                {
                    if (result.Count >= MaxDescendants) break;
                    if (child == pid || result.Any(r => r.Pid == child)) continue;
                    if (source.Describe(child) is not { } entry) continue; // exited meanwhile
                    result.Add(entry);
                    next.Add(child);
                }
            frontier = next;
        }
        return result;
    }

    private static TerminalInputWait? WaitOf(ProcessEntry instance, IReadOnlyList<ProcessEntry> children)
    {
        foreach (var p in children.Prepend(instance))
            if (TerminalWait.WaitingOn(p) is { } terminal)
                return new TerminalInputWait(p.Pid, p.ShortName, terminal);
        return null;
    }

    private static LockStatus LockOf(DuplicityProcess p, IReadOnlyList<ProcLockEntry>? locks, FinderSeams seams)
    {
        var lockFile = p.LockFile;
        if (locks is null) return new LockStatus(LockState.Unknown, lockFile, Reason: "no lock table (ps capture without /proc/locks)");
        var own = locks.FirstOrDefault(l => l.Kind == "POSIX" && l.Pid == p.Pid);
        if (lockFile is null)
            return own is null
                ? new LockStatus(LockState.Unknown, null, Reason: "archive dir unknown")
                : new LockStatus(LockState.HoldsUnverified, null, p.Pid, own.Inode);
        if (seams.FileIdentity(lockFile) is { } id)
        {
            var holder = ProcLocks.HolderOf(locks, id);
            if (holder == p.Pid) return new LockStatus(LockState.Holds, lockFile, holder, id.Inode);
            if (holder is not null) return new LockStatus(LockState.HeldByOther, lockFile, holder, id.Inode);
            return new LockStatus(LockState.NotHeld, lockFile);
        }
        return own is null ? new LockStatus(LockState.NotHeld, lockFile) : new LockStatus(LockState.HoldsUnverified, lockFile, p.Pid, own.Inode);
    }
}
