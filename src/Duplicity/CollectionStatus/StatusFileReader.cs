using System.Text;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Duplicity.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>
/// Acquisition for <c>--status-file</c>: a saved collection-status, either the machine form (<c>--log-fd</c> /
/// <c>--log-file</c>; preferred, UTC) or the human text (local times read in the given zone). The form is detected
/// from the first lines (a machine log opens with a <c>LEVEL CODE</c> stanza line), then the file is streamed
/// through <see cref="MachineStatusParser"/> or <see cref="StatusTextParser"/>.
/// </summary>
public static class StatusFileReader
{
    /// <summary>How many non-blank lines are looked at to recognise the machine form.</summary>
    private const int DetectionLines = 20;

    /// <summary>
    /// How many lines, blank ones included, at most: the look-ahead keeps every line it reads, and a file of
    /// millions of blank lines kept them all (17 MiB of newlines: 230 MB).
    /// </summary>
    private const int DetectionLinesWithBlanks = 1000;

    /// <summary>
    /// Reads a saved collection-status. <see cref="CheckException"/> when the file cannot be read (naming the path
    /// and the reason) or when its content is not a collection-status listing we understand.
    /// </summary>
    public static BackupCollection Read(string path, TimeZoneInfo zone, string? name = null)
    {
        FileStream file;
        try
        {
            // Without a lock: a wrapper may hold flock(LOCK_EX) on the file it writes the status to.
            file = UnlockedFile.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CheckException($"cannot read the status file {path}: {Reason(e, path)}", e);
        }
        // Counted, not asked: a device or a FIFO has no length, and /dev/zero is endless.
        var limited = new LimitedReadStream(file, ReadLimits.StatusFileBytes,
            () => $"status file {path} exceeds the {ReadLimits.Format(ReadLimits.StatusFileBytes)} read limit");
        using var reader = new StreamReader(limited, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        try
        {
            return Parse(reader, zone, path, name, $"status file {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckException($"cannot read the status file {path}: {Reason(e, path)}", e);
        }
    }

    /// <summary>
    /// Detects the form and parses. For the text form <paramref name="zone"/> is the zone duplicity ran in.
    /// The machine form gives <see cref="BackupSourceKind.MachineLog"/>, the text form <see cref="BackupSourceKind.StatusText"/>.
    /// </summary>
    public static BackupCollection Parse(TextReader reader, TimeZoneInfo zone, string sourceDescription, string? name = null)
        => Parse(reader, zone, sourceDescription, name, sourceDescription);

    /// <param name="limitSource">How a line over the length limit names the input.</param>
    private static BackupCollection Parse(TextReader reader, TimeZoneInfo zone, string sourceDescription, string? name, string limitSource)
    {
        // The look-ahead lines are copied as strings and handed out again first (pipes cannot seek); every line is
        // bounded (SpanLineReader), so the look-ahead is too.
        using var lines = new SpanLineReader(reader, maxLineLength: ReadLimits.StatusLineChars, source: limitSource);
        var head = new List<string>();
        var machine = false;
        var nonBlank = 0;
        while (nonBlank < DetectionLines && head.Count < DetectionLinesWithBlanks && lines.TryReadLine(out var line))
        {
            head.Add(line.ToString());
            if (line.Length == 0) continue;
            nonBlank++;
            if (MachineLogReader.IsStanzaStart(line))
            {
                machine = true;
                break;
            }
        }
        lines.Replay(head);
        return machine
            ? MachineStatusParser.Parse(lines, sourceDescription, name)
            : StatusTextParser.Parse(lines, zone, sourceDescription, name);
    }

    public static BackupCollection Parse(string text, TimeZoneInfo zone, string sourceDescription, string? name = null)
    {
        using var reader = new StringReader(text);
        return Parse(reader, zone, sourceDescription, name);
    }

    private static string Reason(Exception e, string path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        _ when Directory.Exists(path) => "it is a directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
