namespace DuplicityChecks.Duplicity.MachineLog;

/// <summary>
/// What <see cref="MachineLogSplitter"/> hands out as it reads: the parts of each stanza in order, the lines as
/// spans that are valid only during the call (copy what is kept). A stanza's extra lines all come before its
/// message lines.
/// </summary>
internal interface IMachineLogSink
{
    /// <param name="level">The level word ("INFO", "Level 8").</param>
    /// <param name="code">The message code.</param>
    /// <param name="extra">The rest of the keyword line, trailing blanks removed.</param>
    /// <param name="lineNumber">The 1-based line of the keyword line.</param>
    void StanzaStart(string level, int code, string extra, long lineNumber);

    /// <summary>An extra line (before the message), as it stands, at 1-based <paramref name="lineNumber"/>.</summary>
    void ExtraLine(ReadOnlySpan<char> line, long lineNumber);

    /// <summary>A message line without its ". " (the line "." gives an empty one).</summary>
    void MessageLine(ReadOnlySpan<char> text);

    void StanzaEnd();
}
