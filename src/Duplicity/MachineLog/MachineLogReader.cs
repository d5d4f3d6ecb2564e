using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.Text;

namespace DuplicityChecks.Duplicity.MachineLog;

/// <summary>
/// Streams stanzas out of a machine log (acquisition). Follows upstream's README-LOG rules: extra fields
/// on the keyword line are kept as text, lines that start with something unknown are ignored. Level words:
/// ERROR/WARNING/NOTICE/INFO/DEBUG, and 3.0.1-3.0.3's Python names (<c>Level 8</c>, <c>CRITICAL</c>).
/// A stanza not closed by a blank line (a file still being written) is still returned at the end.
/// The rules themselves are <see cref="MachineLogSplitter"/>'s; <see cref="Read"/> reads the text ahead of the
/// stanza it returns (one buffer of a <see cref="DuplicityChecks.Duplicity.Text.SpanLineReader"/>).
/// </summary>
public static partial class MachineLogReader
{
    // [0-9], not \d: \d also matches the other scripts' decimal digits (U+07C3), which int.Parse refuses (found by fuzzing).
    [GeneratedRegex(@"^(ERROR|WARNING|NOTICE|INFO|DEBUG|CRITICAL|Level [0-9]+) ([0-9]{1,6})(?: (.*))?$", RegexOptions.CultureInvariant)]
    internal static partial Regex StanzaStart();

    /// <summary>True when the line opens a stanza (used to auto-detect the machine form).</summary>
    public static bool IsStanzaStart(string line) => StanzaStart().IsMatch(line);

    internal static bool IsStanzaStart(ReadOnlySpan<char> line) => StanzaStart().IsMatch(line);

    public static IEnumerable<MachineLogStanza> Read(TextReader reader)
    {
        var stanzas = new StanzaCollector();
        var splitter = new MachineLogSplitter(stanzas);
        using var lines = new SpanLineReader(reader);
        while (ReadInto(lines, splitter))
            if (stanzas.Take() is { } stanza) yield return stanza;
        splitter.End();
        if (stanzas.Take() is { } last) yield return last;
    }

    /// <summary>Feeds one line; false at the end. (An iterator cannot hold the span across its yield.)</summary>
    private static bool ReadInto(SpanLineReader lines, MachineLogSplitter splitter)
    {
        if (!lines.TryReadLine(out var line)) return false;
        splitter.Line(line);
        return true;
    }

    /// <summary>Keeps every part of a stanza, as strings; a line completes at most one stanza.</summary>
    private sealed class StanzaCollector : IMachineLogSink
    {
        private string _level = "", _extra = "";
        private int _code;
        private long _start;
        private List<string> _extraLines = [], _message = [];
        private MachineLogStanza? _completed;

        public void StanzaStart(string level, int code, string extra, long lineNumber)
        {
            _level = level;
            _code = code;
            _extra = extra;
            _start = lineNumber;
        }

        public void ExtraLine(ReadOnlySpan<char> line, long lineNumber) => _extraLines.Add(line.ToString());

        public void MessageLine(ReadOnlySpan<char> text) => _message.Add(text.ToString());

        public void StanzaEnd()
        {
            _completed = new MachineLogStanza(_level, _code, _extra, _extraLines, _message, _start);
            _extraLines = [];
            _message = [];
        }

        public MachineLogStanza? Take()
        {
            var stanza = _completed;
            _completed = null;
            return stanza;
        }
    }
}
