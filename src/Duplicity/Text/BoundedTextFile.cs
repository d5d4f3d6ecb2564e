using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Text;

/// <summary>
/// The lines of a small text file (a ps capture, /proc/locks) read within two bounds: the whole file and one line.
/// <see cref="File.ReadLines(string)"/> has neither: a capture replaced by /dev/zero is one endless line, which grew
/// a check to 8 GB. Either bound hit is a <see cref="CheckException"/> naming the file and the limit.
/// </summary>
internal static class BoundedTextFile
{
    /// <param name="what">How the messages name the file ("ps capture /tmp/ps.txt").</param>
    public static IEnumerable<string> ReadLines(string path, long maxBytes, int maxLineChars, string what)
    {
        // Opened now, so that a missing file throws at the call as File.ReadLines does, not at the first line.
        var file = UnlockedFile.OpenRead(path); // no flock: a wrapper may hold LOCK_EX on the file it writes
        return Lines(file, maxBytes, maxLineChars, what);
    }

    private static IEnumerable<string> Lines(FileStream file, long maxBytes, int maxLineChars, string what)
    {
        using var limited = new LimitedReadStream(file, maxBytes, () => $"{what} exceeds the {ReadLimits.Format(maxBytes)} read limit");
        using var reader = new StreamReader(limited, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024);
        using var lines = new SpanLineReader(reader, maxLineLength: maxLineChars, source: what);
        while (Next(lines) is { } line) yield return line;
    }

    /// <summary>All lines at once, and whether the last one ended with a line end (a capture cut off has none).</summary>
    public static List<string> ReadAllLines(string path, long maxBytes, int maxLineChars, string what, out bool lastLineEnded)
    {
        using var file = UnlockedFile.OpenRead(path);
        using var limited = new LimitedReadStream(file, maxBytes, () => $"{what} exceeds the {ReadLimits.Format(maxBytes)} read limit");
        using var reader = new StreamReader(limited, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024);
        using var lines = new SpanLineReader(reader, maxLineLength: maxLineChars, source: what);
        var all = new List<string>();
        while (Next(lines) is { } line) all.Add(line);
        lastLineEnded = !lines.LastLineUnterminated;
        return all;
    }

    // An iterator cannot keep the span across its yield.
    private static string? Next(SpanLineReader lines) => lines.TryReadLine(out var line) ? line.ToString() : null;
}
