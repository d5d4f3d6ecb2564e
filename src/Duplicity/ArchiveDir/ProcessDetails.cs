using System.Globalization;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// Start time and command line of a lock holder, read from a proc root (acquisition; <c>/proc</c>, or a
/// fixture folder in tests) with the process table's own readers. Anything unreadable (the process ended,
/// hidepid, a short capture) gives null.
/// </summary>
public static class ProcessDetails
{
    /// <summary>When the process started: <c>btime</c> plus field 22 (<c>starttime</c>) of its stat.</summary>
    public static DateTimeOffset? StartTime(string procRoot, int pid)
        => StartTicks(procRoot, pid) is { } ticks && BootTime(procRoot) is { } boot
            ? DateTimeOffset.FromUnixTimeMilliseconds(boot * 1000 + ticks * 1000 / (long)ProcStat.TicksPerSecond)
            : null;

    /// <summary>The command line (NUL-separated arguments joined by spaces) with URL passwords masked.</summary>
    public static string? CommandLine(string procRoot, int pid)
    {
        var raw = ProcFiles.ReadBytes(Path.Combine(procRoot, Pid(pid), "cmdline"), 1024 * 1024, out _);
        if (raw is null) return null;
        var args = ProcFiles.SplitArgv(raw);
        return args.Count == 0 ? null : SecretMasker.MaskInPlace(string.Join(' ', args));
    }

    public static long? StartTicks(string procRoot, int pid) => ParseStartTicks(ProcFiles.ReadText(Path.Combine(procRoot, Pid(pid), "stat")));

    public static long? ParseStartTicks(string? stat) => ProcStat.TryParse(stat) is { } s ? (long)s.StartTicks : null;

    /// <summary>Boot time in epoch seconds.</summary>
    public static long? BootTime(string procRoot) => ProcBootTime.Read(procRoot)?.ToUnixTimeSeconds();

    private static string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);
}
