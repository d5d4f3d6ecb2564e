namespace DuplicityChecks.Duplicity.Tests.CollectionStatus.Reference;

// The reading before issue 6's span parsing (commit f522504), frozen as the oracle the fast path is compared with.
// Change it only together with a deliberate change of behaviour in the parser it mirrors.
/// <summary>
/// A reader that can look at the first lines of a stream and then hand them out again, so the form of a status
/// file can be detected without reading it twice or loading it whole (pipes cannot seek). Character reads see
/// the same lines with '\n' line ends.
/// </summary>
internal sealed class ReferenceReplayReader(TextReader inner) : TextReader
{
    private readonly List<string> buffered = [];
    private int replayIndex = -1;
    private string? current;
    private int position;

    /// <summary>Reads one more line into the look-ahead buffer.</summary>
    public string? BufferLine()
    {
        var line = inner.ReadLine();
        if (line is not null) buffered.Add(line);
        return line;
    }

    /// <summary>From now on the buffered lines are read first.</summary>
    public void Rewind() => replayIndex = 0;

    public override string? ReadLine()
    {
        if (current is not null)
        {
            var rest = current[position..];
            current = null;
            return rest;
        }
        return NextLine();
    }

    public override int Peek()
    {
        if (current is null)
        {
            current = NextLine();
            position = 0;
            if (current is null) return -1;
        }
        return position < current.Length ? current[position] : '\n';
    }

    public override int Read()
    {
        var c = Peek();
        if (c < 0) return c;
        if (position < current!.Length) position++;
        else current = null;
        return c;
    }

    private string? NextLine()
    {
        if (replayIndex >= 0 && replayIndex < buffered.Count) return buffered[replayIndex++];
        buffered.Clear();
        replayIndex = -1;
        return inner.ReadLine();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
