using System.Globalization;
using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.MachineLog;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus.Reference;

// The reading before issue 6's span parsing (commit f522504), frozen as the oracle the fast path is compared with.
// Change it only together with a deliberate change of behaviour in the parser it mirrors.
/// <summary>
/// Streams stanzas out of a machine log (acquisition). Follows upstream's README-LOG rules: extra fields
/// on the keyword line are kept as text, lines that start with something unknown are ignored. Level words:
/// ERROR/WARNING/NOTICE/INFO/DEBUG, and 3.0.1-3.0.3's Python names (<c>Level 8</c>, <c>CRITICAL</c>).
/// A stanza not closed by a blank line (a file still being written) is still returned at the end.
/// </summary>
internal static partial class ReferenceMachineLogReader
{
    // [0-9], not \d: \d also matches the other scripts' decimal digits (U+07C3), which int.Parse refuses (found by fuzzing).
    [GeneratedRegex(@"^(ERROR|WARNING|NOTICE|INFO|DEBUG|CRITICAL|Level [0-9]+) ([0-9]{1,6})(?: (.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex StanzaStart();

    /// <summary>True when the line opens a stanza (used to auto-detect the machine form).</summary>
    public static bool IsStanzaStart(string line) => StanzaStart().IsMatch(line);

    public static IEnumerable<MachineLogStanza> Read(TextReader reader)
    {
        string? level = null;
        var code = 0;
        var extra = "";
        var extraLines = new List<string>();
        var message = new List<string>();
        long lineNumber = 0, start = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (level is null)
            {
                var m = StanzaStart().Match(line);
                if (!m.Success) continue; // not ours: ignore (README-LOG)
                level = m.Groups[1].Value;
                code = int.Parse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                extra = m.Groups[3].Success ? m.Groups[3].Value : "";
                start = lineNumber;
                continue;
            }
            if (line.Length == 0)
            {
                yield return new MachineLogStanza(level, code, extra.TrimEnd(), extraLines, message, start);
                level = null;
                extraLines = [];
                message = [];
                continue;
            }
            if (line.StartsWith(". ", StringComparison.Ordinal)) message.Add(line[2..]);
            else if (line == ".") message.Add("");
            else if (message.Count == 0) extraLines.Add(line);
            else
            {
                // A line that is neither message nor extra after the message began: the stanza was cut
                // (a crash, or a writer that did not end it); start over if it opens a new one.
                var m = StanzaStart().Match(line);
                yield return new MachineLogStanza(level, code, extra.TrimEnd(), extraLines, message, start);
                level = null;
                extraLines = [];
                message = [];
                if (m.Success)
                {
                    level = m.Groups[1].Value;
                    code = int.Parse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                    extra = m.Groups[3].Success ? m.Groups[3].Value : "";
                    start = lineNumber;
                }
            }
        }
        if (level is not null) yield return new MachineLogStanza(level, code, extra.TrimEnd(), extraLines, message, start);
    }
}
