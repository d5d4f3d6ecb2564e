using System.Globalization;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// The fields of <c>/proc/PID/stat</c> the checks need (acquisition). The command name sits in parentheses
/// and may itself contain blanks and parentheses, so the fields are counted from the last <c>)</c>.
/// </summary>
public sealed record ProcStat(int Pid, string Comm, char State, int ParentPid, int ProcessGroup, int Session, int TerminalDevice, int ForegroundGroup, ulong StartTicks)
{
    /// <summary>Clock ticks per second of <c>starttime</c>: USER_HZ, 100 on every Linux architecture we ship for.</summary>
    public const double TicksPerSecond = 100;

    public static ProcStat? TryParse(string? line)
    {
        if (string.IsNullOrEmpty(line)) return null;
        var open = line.IndexOf('(');
        var close = line.LastIndexOf(')');
        if (open <= 0 || close < open) return null;
        if (!int.TryParse(line.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return null;
        var comm = line[(open + 1)..close];
        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // state(3) ppid(4) pgrp(5) session(6) tty_nr(7) tpgid(8) ... starttime(22): index = field - 3.
        if (fields.Length < 20 || fields[0].Length != 1) return null;
        if (!Int(fields[1], out var ppid) || !Int(fields[2], out var pgrp) || !Int(fields[3], out var session)
            || !Int(fields[4], out var tty) || !Int(fields[5], out var tpgid)) return null;
        if (!ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        return new ProcStat(pid, comm, fields[0][0], ppid, pgrp, session, tty, tpgid, start);
    }

    private static bool Int(string s, out int value) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>The start time given the boot time (btime of /proc/stat).</summary>
    public DateTimeOffset StartUtc(DateTimeOffset bootTime) => bootTime.AddTicks((long)StartTicks * (TimeSpan.TicksPerSecond / (long)TicksPerSecond));
}
