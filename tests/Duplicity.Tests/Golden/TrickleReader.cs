namespace DuplicityChecks.Duplicity.Tests.Golden;

/// <summary>Hands out at most <paramref name="chunk"/> characters per read, as a pipe can.</summary>
internal sealed class TrickleReader(string text, int chunk) : TextReader
{
    private int _position;

    public override string? ReadLine()
    {
        // As a StreamReader would: the look-ahead of StatusFileReader reads whole lines.
        if (_position >= text.Length) return null;
        var rest = text.AsSpan(_position);
        var end = rest.IndexOfAny('\r', '\n');
        if (end < 0)
        {
            _position = text.Length;
            return rest.ToString();
        }
        var line = rest[..end].ToString();
        _position += end + (rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1);
        return line;
    }

    public override int Read(char[] buffer, int index, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), text.Length - _position);
        text.CopyTo(_position, buffer, index, n);
        _position += n;
        return n;
    }
}
