using System.Text;
using DuplicityChecks.Duplicity.MachineLog;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>What a finished machine-log stanza says, for the scanner's dispatch: its class, first message line and message.</summary>
internal readonly record struct StanzaLine(LineClass Class, string First, long Offset, IReadOnlyList<string> Message);

/// <summary>
/// A machine-log stanza (<c>LEVEL CODE[ EXTRA]</c>, message lines, a blank line): ERROR, WARNING, NOTICE and the
/// INFO codes of interest are collected and parsed by <see cref="MachineLogReader"/> when they end; other INFO and
/// DEBUG stanzas (one per file at -v5 and up) are skipped. A failure code names its failure here; the rest is
/// classified by its first message line as the console's text is.
/// </summary>
internal sealed class MachineStanzaHandler(RunBuilder runs, JobPatterns patterns)
{
    private const int MaxStanzaLines = 400;

    /// <summary>
    /// Bytes kept of one stanza line: 400 lines of the 1 MiB a line may have would be 800 MB of text; a stanza's
    /// first line is what classifies it, and what is shown of a line is cut at 300 characters anyway.
    /// </summary>
    private const int MaxStanzaLineBytes = 4096;

    private List<string>? _lines;
    private bool _skipping;

    /// <summary>How a line inside a stanza was taken.</summary>
    public enum Taken
    {
        /// <summary>Part of the stanza.</summary>
        Line,

        /// <summary>The blank line that ends it.</summary>
        End,

        /// <summary>The header of the next stanza, which cuts this one short (README-LOG: tolerate it): the caller goes on with it.</summary>
        NextHeader,
    }

    /// <summary>Inside a stanza, collected or skipped.</summary>
    public bool IsOpen => _lines is not null || _skipping;

    /// <summary>A stanza is being collected (not skipped).</summary>
    public bool IsCollecting => _lines is not null;

    /// <summary>Where the collected stanza started (read again whole by the next check when cut off at the end).</summary>
    public long Offset { get; private set; }

    /// <summary>A stanza starts at its header line (<see cref="IsHeader"/>).</summary>
    public void Start(ReadOnlySpan<byte> header, bool interesting, long offset)
    {
        if (interesting && MachineLogReader.IsStanzaStart(Kept(header)))
        {
            _lines = [Kept(header)];
            Offset = offset;
        }
        else _skipping = true;
    }

    /// <summary>A line inside the open stanza.</summary>
    public Taken Take(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty) return Taken.End;
        if (IsHeader(line, out _)) return Taken.NextHeader;
        if (_lines is { Count: < MaxStanzaLines } lines) lines.Add(Kept(line));
        return Taken.Line;
    }

    private static string Kept(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxStanzaLineBytes)]);

    /// <summary>
    /// Ends the open stanza. Failures, noise and the INFO codes of interest are handed to the runs here; returns
    /// what is left for the scanner to dispatch, or null.
    /// </summary>
    public StanzaLine? Finish()
    {
        _skipping = false;
        if (_lines is not { } lines) return null;
        _lines = null;
        var stanza = MachineLogReader.Read(new StringReader(string.Join('\n', lines) + "\n\n")).FirstOrDefault();
        if (stanza is null || IgnoredByPatterns(stanza)) return null;
        var message = stanza.MessageText;
        var first = stanza.Message.Count > 0 ? stanza.Message[0] : "";

        var cls = LinePatterns.Classify(LinePatterns.Normalise(Encoding.UTF8.GetBytes(first)));
        if (stanza.Level == "INFO")
        {
            if (stanza.Code == 3) runs.Line(LineKind.Maintenance, Offset, "collection-status", machine: true);
            else if (stanza.Code == 2 && first.StartsWith("Processed volume", StringComparison.Ordinal)) runs.Line(LineKind.Known, Offset, "backup", machine: true);
            return null;
        }
        if (cls.Kind == LineKind.Noise)
        {
            runs.Noise(Offset);
            return null;
        }
        if (stanza.Level is "ERROR" or "CRITICAL" or "WARNING" && KnownFailures.ForStanza(stanza.Level, stanza.Code, stanza.Extra, message) is { } coded)
        {
            var failure = KnownFailures.Refine(coded, message);
            var hit = runs.Failure(failure, Offset, true, failure == KnownFailures.LockHeld ? 2 : 0);
            var keyword = $"{stanza.Level} {stanza.Code}{(stanza.Extra.Length > 0 ? " " + stanza.Extra : "")}";
            var shown = stanza.Message.Where(m => m.Trim().Length > 0).Take(FailureHit.MaxLines).ToList();
            hit.AddLine(shown.Count > 0 ? $"{keyword}: {shown[0].Trim()}" : keyword);
            foreach (var m in shown.Skip(1)) hit.AddLine(m.Trim());
            return null;
        }
        // NOTICE stanzas, and warnings without a failure code ("Attempt of put Nr. 1 failed", "No extraneous
        // files found"), carry the same texts as the console: classify them the same way.
        if (cls.Kind == LineKind.Failure) cls = new LineClass(LineKind.Known);
        if (cls.Kind == LineKind.Unknown && stanza.Message.Any(m => m.Contains("Restart is impossible", StringComparison.Ordinal)))
            cls = new LineClass(LineKind.RestartImpossible, Action: "backup");
        if (cls.Kind is LineKind.Unknown or LineKind.Blank) cls = new LineClass(LineKind.Known);
        return new StanzaLine(cls, first, Offset, stanza.Message);
    }

    /// <summary>The job's patterns over the message lines: critical and warning lines are failures; an ignored line drops the stanza.</summary>
    private bool IgnoredByPatterns(MachineLogStanza stanza)
    {
        if (patterns.IsEmpty) return false;
        foreach (var m in stanza.Message)
        {
            switch (patterns.Match(m))
            {
                case JobPatternVerdict.Ignore: return true;
                case JobPatternVerdict.Critical: runs.Failure(KnownFailures.JobCritical, Offset, true).AddLine(m); break;
                case JobPatternVerdict.Warning: runs.Failure(KnownFailures.JobWarning, Offset, true).AddLine(m); break;
            }
        }
        return false;
    }

    /// <summary>
    /// A cheap test for a machine-log keyword line (<c>LEVEL CODE[ EXTRA]</c>) before the exact regular expression
    /// of <see cref="MachineLogReader"/> is asked: level word, a blank, a digit. INFO/DEBUG/Level N stanzas are
    /// of no interest here (progress, per-file lines).
    /// </summary>
    public static bool IsHeader(ReadOnlySpan<byte> line, out bool interesting)
    {
        interesting = false;
        if (line.Length < 6) return false;
        int word;
        switch (line[0])
        {
            case (byte)'E' when line.StartsWith("ERROR "u8): word = 6; interesting = true; break;
            case (byte)'W' when line.StartsWith("WARNING "u8): word = 8; interesting = true; break;
            case (byte)'N' when line.StartsWith("NOTICE "u8): word = 7; interesting = true; break;
            case (byte)'C' when line.StartsWith("CRITICAL "u8): word = 9; interesting = true; break;
            // INFO 3 is the collection-status block: the end of a collection-status run.
            // INFO 2 is a backup's progress ("Processed volume 1"): a -v8 backup also prints a collection-status block.
            case (byte)'I' when line.StartsWith("INFO "u8):
                word = 5;
                interesting = (line.StartsWith("INFO 3"u8) || line.StartsWith("INFO 2"u8)) && (line.Length == 6 || line[6] == (byte)' ');
                break;
            case (byte)'D' when line.StartsWith("DEBUG "u8): word = 6; break;
            case (byte)'L' when line.StartsWith("Level "u8):
                word = 6;
                while (word < line.Length && line[word] is >= (byte)'0' and <= (byte)'9') word++;
                if (word >= line.Length || line[word] != (byte)' ') return false;
                word++;
                break;
            default: return false;
        }
        if (word >= line.Length || line[word] is < (byte)'0' or > (byte)'9') return false;
        var end = word;
        while (end < line.Length && line[end] is >= (byte)'0' and <= (byte)'9') end++;
        if (end < line.Length && line[end] != (byte)' ') return false;
        return true;
    }
}
