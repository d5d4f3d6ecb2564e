using System.Globalization;

namespace DuplicityChecks.Duplicity.MachineLog;

/// <summary>
/// The stanza rules of <see cref="MachineLogReader"/>, line by line, handing the parts to a sink instead of
/// keeping them: a collection-status listing of 10,000 sets is one stanza of 34,000 lines, and keeping them as
/// strings was most of the machine form's cost (issue 6). <see cref="MachineLogReader.Read"/> keeps them, for
/// the callers that want whole stanzas.
/// </summary>
internal sealed class MachineLogSplitter(IMachineLogSink sink)
{
    private long _lineNumber;
    private bool _inStanza, _messageStarted;

    public void Line(ReadOnlySpan<char> line)
    {
        _lineNumber++;
        if (!_inStanza)
        {
            TryStart(line); // a line that opens no stanza is not ours: ignored (README-LOG)
            return;
        }
        if (line.Length == 0)
        {
            End();
            return;
        }
        if (line.StartsWith(". ", StringComparison.Ordinal)) Message(line[2..]);
        else if (line is ".") Message([]);
        else if (!_messageStarted) sink.ExtraLine(line, _lineNumber);
        else
        {
            // A line that is neither message nor extra after the message began: the stanza was cut
            // (a crash, or a writer that did not end it); start over if it opens a new one.
            End();
            TryStart(line);
        }
    }

    /// <summary>The end of the input: a stanza not closed by a blank line (a file still being written) still counts.</summary>
    public void End()
    {
        if (!_inStanza) return;
        _inStanza = _messageStarted = false;
        sink.StanzaEnd();
    }

    private void Message(ReadOnlySpan<char> text)
    {
        _messageStarted = true;
        sink.MessageLine(text);
    }

    private void TryStart(ReadOnlySpan<char> line)
    {
        // IsMatch on the span first: only the few stanza lines become strings for the groups.
        if (!MachineLogReader.IsStanzaStart(line)) return;
        var m = MachineLogReader.StanzaStart().Match(line.ToString());
        var code = int.Parse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var extra = m.Groups[3].Success ? m.Groups[3].Value.TrimEnd() : "";
        _inStanza = true;
        _messageStarted = false;
        sink.StanzaStart(m.Groups[1].Value, code, extra, _lineNumber);
    }
}
