using System.Globalization;
using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// Start time and command line of a process, read from a proc root (acquisition; <c>/proc</c>, or a
/// fixture folder in tests). Anything unreadable (the process ended, hidepid, a short capture) gives null.
/// </summary>
public static class ProcessDetails
{
    /// <summary>USER_HZ, the unit of <c>starttime</c> in <c>/proc/PID/stat</c>: 100 on every Linux ABI .NET runs on.</summary>
    public const int ClockTicksPerSecond = 100;

    /// <summary>
    /// When the process started: <c>btime</c> from <c>&lt;procRoot&gt;/stat</c> plus field 22 (<c>starttime</c>,
    /// clock ticks since boot) of <c>&lt;procRoot&gt;/&lt;pid&gt;/stat</c>.
    /// </summary>
    public static DateTimeOffset? StartTime(string procRoot, int pid)
    {
        var ticks = StartTicks(procRoot, pid);
        var boot = BootTime(procRoot);
        if (ticks is null || boot is null) return null;
        return DateTimeOffset.FromUnixTimeMilliseconds(boot.Value * 1000 + ticks.Value * 1000 / ClockTicksPerSecond);
    }

    /// <summary>The command line (NUL-separated arguments joined by spaces) with URL passwords masked.</summary>
    public static string? CommandLine(string procRoot, int pid)
    {
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var args = Encoding.UTF8.GetString(raw).Split('\0');
        var count = args.Length;
        while (count > 0 && args[count - 1].Length == 0) count--;
        return count == 0 ? null : SecretMasker.MaskUrlPasswords(string.Join(' ', args, 0, count));
    }

    /// <summary>Field 22 of /proc/PID/stat. The name in field 2 may hold spaces and ')', so fields are counted after the last ')'.</summary>
    public static long? StartTicks(string procRoot, int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return ParseStartTicks(text);
    }

    public static long? ParseStartTicks(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field 22 is fields[19].
        const int index = 22 - 3;
        if (fields.Length <= index) return null;
        return long.TryParse(fields[index], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    /// <summary>The <c>btime</c> line of /proc/stat: boot time in epoch seconds.</summary>
    public static long? BootTime(string procRoot)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(procRoot, "stat")))
            {
                if (!line.StartsWith("btime ", StringComparison.Ordinal)) continue;
                return long.TryParse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return null;
    }
}
