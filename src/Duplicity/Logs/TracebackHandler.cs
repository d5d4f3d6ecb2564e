namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// A text traceback (after <c>Traceback (...):</c>): its frames are indented by two or more blanks; the first other
/// line is the exception, which names the failure (<see cref="KnownFailures.ForException"/>).
/// </summary>
internal sealed class TracebackHandler(RunBuilder runs, LineTextCache texts)
{
    /// <summary>Inside a traceback, waiting for its exception line.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>Where the open traceback started (read again whole by the next check when cut off at the end).</summary>
    public long Offset { get; private set; }

    public void Start(long offset)
    {
        IsOpen = true;
        Offset = offset;
    }

    /// <summary>A frame line (or a blank) of a traceback: neither a stanza header nor the exception line.</summary>
    public static bool IsFrame(ReadOnlySpan<byte> line) => line.IsEmpty || line[0] == (byte)' ' && line.StartsWith("  "u8);

    /// <summary>The exception line ends the traceback with the failure it names.</summary>
    public void End(ReadOnlySpan<byte> exceptionLine)
    {
        IsOpen = false;
        var failure = KnownFailures.ForException(texts.Text(exceptionLine));
        runs.Failure(failure, Offset, false).AddLine(texts.TrimmedText(exceptionLine));
    }
}
