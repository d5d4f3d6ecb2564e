using System.Globalization;
using DuplicityChecks.Duplicity.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// Parses a capture of <c>ps -eo pid,ppid,user,lstart,etimes,args</c> (acquisition), with or without the header,
/// also the <c>--forest</c> form (the <c>\_</c> markers are dropped):
/// <code>   1574    1573 root     Thu Nov 26 10:43:00 2026       5 /usr/bin/python3 /usr/bin/duplicity ...</code>
/// lstart is local time without a zone, so it is read in the zone given (the capture host's; default the
/// machine's). etimes is checked for form but not used: ps prints garbage there for itself (4123168608 seen).
/// A line that is not in this form makes the capture UNKNOWN rather than silently missing a process; so does a
/// capture whose last line has no newline (cut off: the cut may have taken a duplicity's arguments, or its line
/// may be the one half-written) and a capture with neither a header nor a process (ps always lists itself, so an
/// empty file is a failed capture, not proof that nothing runs).
/// </summary>
public static class PsCapture
{
    /// <param name="lines">The capture's lines.</param>
    /// <param name="zone">The zone lstart was printed in.</param>
    /// <param name="source">Names the capture in messages.</param>
    /// <param name="lastLineEnded">False when the capture's last line had no newline (it was cut off).</param>
    public static IReadOnlyList<ProcessEntry> Parse(IEnumerable<string> lines, TimeZoneInfo? zone = null, string source = "ps capture", bool lastLineEnded = true)
    {
        zone ??= TimeZoneInfo.Local;
        var result = new List<ProcessEntry>();
        var number = 0;
        var arguments = 0L;
        var header = false;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var entry = ParseLine(line, zone);
            if (entry is null)
            {
                if (result.Count == 0 && !header && line.TrimStart().StartsWith("PID", StringComparison.Ordinal))
                {
                    header = true;
                    continue;
                }
                throw new CheckException($"{source} line {number} is not 'ps -eo pid,ppid,user,lstart,etimes,args' output: '{Shorten(line)}'");
            }
            // Each argument is a string of its own: one-letter arguments cost 16 times their bytes (ReadLimits).
            if ((arguments += entry.Argv.Count) > ReadLimits.PsCaptureArguments)
                throw new CheckException($"{source} has more than {ReadLimits.PsCaptureArguments} command-line arguments, the read limit");
            result.Add(entry);
        }
        if (!lastLineEnded && number > 0)
            throw new CheckException($"{source} ends inside line {number} (no newline: the capture was cut off, a process may be missing)");
        if (result.Count == 0 && !header)
            throw new CheckException($"{source} is empty (no header and no process, not even ps itself: not proof that nothing runs)");
        return result;
    }

    public static IReadOnlyList<ProcessEntry> Read(string path, TimeZoneInfo? zone = null)
    {
        try
        {
            var source = $"ps capture {path}";
            var lines = BoundedTextFile.ReadAllLines(path, ReadLimits.PsCaptureBytes, ReadLimits.PsLineChars, source, out var lastLineEnded);
            // Said before any line is parsed: the cut line may be the first, and the cut is what went wrong.
            if (!lastLineEnded)
                throw new CheckException($"{source} ends inside line {lines.Count} (no newline: the capture was cut off, a process may be missing)");
            return Parse(lines, zone, source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckException($"cannot read ps capture {path}: {ProcFiles.Reason(e)}");
        }
    }

    /// <summary>The file's lines, read without the flock every .NET open by path takes (a wrapper may hold LOCK_EX).</summary>
    private static ProcessEntry? ParseLine(string line, TimeZoneInfo zone)
    {
        // pid ppid user wday month day hh:mm:ss year etimes args...
        var tokens = new List<string>(9);
        var i = 0;
        while (tokens.Count < 9)
        {
            while (i < line.Length && line[i] == ' ') i++;
            if (i >= line.Length) return null;
            var from = i;
            while (i < line.Length && line[i] != ' ') i++;
            tokens.Add(line[from..i]);
        }
        if (!int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0) return null;
        if (!int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)) return null;
        if (!ulong.TryParse(tokens[8], NumberStyles.None, CultureInfo.InvariantCulture, out _)) return null;
        var stamp = $"{tokens[3]} {tokens[4]} {tokens[5]} {tokens[6]} {tokens[7]}";
        if (!DateTime.TryParseExact(stamp, "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        DateTimeOffset start;
        try
        {
            start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
        }
        catch (ArgumentException)
        {
            return null; // a local time that does not exist in the zone (inside a DST gap)
        }
        var args = StripForest(line[i..]);
        var user = tokens[2];
        return new ProcessEntry
        {
            Pid = pid,
            ParentPid = ppid,
            // ps joins argv with blanks; splitting again is the best a capture allows.
            Argv = args.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            User = user,
            Uid = user.All(char.IsAsciiDigit) && int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null,
            StartUtc = start,
        };
    }

    private static string StripForest(string args)
    {
        var s = args.TrimStart(' ');
        while (true)
        {
            if (s.StartsWith("\\_ ", StringComparison.Ordinal)) s = s[3..].TrimStart(' ');
            else if (s.StartsWith("| ", StringComparison.Ordinal)) s = s[2..].TrimStart(' ');
            else return s;
        }
    }

    // Between words: half a URL would escape the secret masking.
    private static string Shorten(string text) => ShortText.Cut(text, 83);
}
