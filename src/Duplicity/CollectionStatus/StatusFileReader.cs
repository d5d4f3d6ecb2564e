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
    /// Reads a saved collection-status. <see cref="CheckException"/> when the file cannot be read (naming the path
    /// and the reason) or when its content is not a collection-status listing we understand.
    /// </summary>
    public static BackupCollection Read(string path, TimeZoneInfo zone, string? name = null)
    {
        StreamReader reader;
        try
        {
            // Without a lock: a wrapper may hold flock(LOCK_EX) on the file it writes the status to.
            reader = new StreamReader(UnlockedFile.OpenRead(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CheckException($"cannot read the status file {path}: {Reason(e, path)}", e);
        }
        using (reader)
        {
            try
            {
                return Parse(reader, zone, path, name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CheckException($"cannot read the status file {path}: {Reason(e, path)}", e);
            }
        }
    }

    /// <summary>
    /// Detects the form and parses. For the text form <paramref name="zone"/> is the zone duplicity ran in.
    /// The machine form gives <see cref="BackupSourceKind.MachineLog"/>, the text form <see cref="BackupSourceKind.StatusText"/>.
    /// </summary>
    public static BackupCollection Parse(TextReader reader, TimeZoneInfo zone, string sourceDescription, string? name = null)
    {
        // The look-ahead lines are read as strings and handed out again first (pipes cannot seek).
        var head = new List<string>();
        var machine = false;
        var nonBlank = 0;
        string? line;
        while (nonBlank < DetectionLines && (line = reader.ReadLine()) is not null)
        {
            head.Add(line);
            if (line.Length == 0) continue;
            nonBlank++;
            if (MachineLogReader.IsStanzaStart(line))
            {
                machine = true;
                break;
            }
        }
        using var lines = new SpanLineReader(reader, head);
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
