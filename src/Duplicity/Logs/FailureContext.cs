namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// The lines after a text failure that say more about it (a backend's output: "Permission denied (publickey)."):
/// up to <see cref="MaxLines"/> unrecognised lines, until two blank lines or a recognised one. They are kept with
/// the failure and may refine it (a backend failure that says "Permission denied" is <c>backend_auth</c>).
/// </summary>
internal sealed class FailureContext(RunBuilder runs, LineTextCache texts)
{
    private const int MaxLines = 8;

    private FailureHit? _hit;
    private int _lines;
    private int _blanks;

    public bool IsOpen => _hit is not null;

    public void Open(FailureHit hit)
    {
        _hit = hit;
        _lines = 0;
        _blanks = 0;
    }

    public void End() => _hit = null;

    /// <summary>An unrecognised line (<paramref name="decoded"/> when already decoded for the job's patterns) or a blank.</summary>
    public void Take(LineKind kind, ReadOnlySpan<byte> normal, string? decoded, long offset)
    {
        if (kind == LineKind.Blank)
        {
            if (++_blanks >= 2) End();
            return;
        }
        var hit = _hit!;
        var line = decoded ?? texts.Text(normal);
        hit.AddLine(texts.TrimmedText(normal));
        var refined = KnownFailures.Refine(hit.Failure, line);
        if (refined != hit.Failure)
        {
            hit.Failure = refined;
            runs.Refined(hit);
        }
        runs.Unknown(offset);
        runs.NotAPrompt();
        if (++_lines >= MaxLines) End();
    }
}
