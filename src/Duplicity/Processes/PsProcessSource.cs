using DuplicityChecks.Duplicity.Locks;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// A process table from a ps capture (<c>--ps-file</c>), for replaying captures and for hosts where /proc is
/// not the source. It has no terminals, wait channels or environment; locks come from a /proc-style root when one
/// is given (the capture's <c>locks</c>), else they are unknown.
/// </summary>
public sealed class PsProcessSource(IReadOnlyList<ProcessEntry> entries, string description, string? locksRoot = null) : IProcessSource
{
    private readonly Dictionary<int, ProcessEntry> _byPid = entries.GroupBy(e => e.Pid).ToDictionary(g => g.Key, g => g.First());

    public string Description => description;

    public static PsProcessSource Read(string path, TimeZoneInfo? zone = null, string? locksRoot = null)
        => new(PsCapture.Read(path, zone), $"ps capture {path}", locksRoot);

    public IEnumerable<ProcessCommand> Commands(Func<ReadOnlySpan<byte>, bool>? mayMatch = null)
        => entries.Select(e => new ProcessCommand(e.Pid, e.Argv));

    public ProcessEntry? Describe(int pid) => _byPid.GetValueOrDefault(pid);

    public IReadOnlyList<int> ChildrenOf(int pid) => entries.Where(e => e.ParentPid == pid && e.Pid != pid).Select(e => e.Pid).ToList();

    public IReadOnlyList<ProcLockEntry>? Locks()
        => locksRoot is not null && File.Exists(Path.Combine(locksRoot, "locks")) ? ProcLocks.Read(locksRoot) : null;

    public string? EnvironmentValue(int pid, string name) => null;

    public string? WorkingDirectory(int pid) => null;
}
