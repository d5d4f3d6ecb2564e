using DuplicityChecks.Duplicity.Locks;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>The cheap first look at a process: its PID and argument vector, nothing else read yet.</summary>
public sealed record ProcessCommand(int Pid, IReadOnlyList<string> Argv, bool Truncated = false);

/// <summary>
/// A process table (acquisition): /proc itself (<see cref="ProcProcessSource"/>) or a ps capture
/// (<see cref="PsProcessSource"/>). Listing is cheap (command lines only); the details of a process are read only
/// for the few that matter, and a process that vanished in between gives null.
/// </summary>
public interface IProcessSource
{
    /// <summary>Where the table comes from, for messages: "/proc", "ps capture ps.txt".</summary>
    string Description { get; }

    /// <summary>Every process's command line. Only those that may be duplicity need to be complete.</summary>
    IEnumerable<ProcessCommand> Commands(Func<ReadOnlySpan<byte>, bool>? mayMatch = null);

    /// <summary>The full entry of one process, or null when it has gone (or was never there).</summary>
    ProcessEntry? Describe(int pid);

    /// <summary>The PIDs of the direct children of a process.</summary>
    IReadOnlyList<int> ChildrenOf(int pid);

    /// <summary>The kernel's lock table, or null when this source cannot know it (a ps capture alone).</summary>
    IReadOnlyList<ProcLockEntry>? Locks();

    /// <summary>One variable of the process environment (root or the same user only), or null.</summary>
    string? EnvironmentValue(int pid, string name);

    /// <summary>The process's working directory (root or the same user only), or null.</summary>
    string? WorkingDirectory(int pid);
}
