using System.Globalization;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>The <c>btime</c> line of /proc/stat: when the machine booted, the base of every process start time.</summary>
public static class ProcBootTime
{
    public static DateTimeOffset? Read(string procRoot) => Parse(ProcFiles.ReadText(Path.Combine(procRoot, "stat"), 1024 * 1024));

    public static DateTimeOffset? Parse(string? stat)
    {
        if (stat is null) return null;
        foreach (var line in stat.Split('\n'))
        {
            if (!line.StartsWith("btime ", StringComparison.Ordinal)) continue;
            return long.TryParse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var btime) && btime > 0
                ? DateTimeOffset.FromUnixTimeSeconds(btime)
                : null;
        }
        return null;
    }
}
