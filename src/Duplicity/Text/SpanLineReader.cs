using System.Buffers;

namespace DuplicityChecks.Duplicity.Text;

/// <summary>
/// Reads the lines of a <see cref="TextReader"/> as spans over one pooled buffer, with exactly
/// <see cref="TextReader.ReadLine"/>'s rules: a line ends at "\n", "\r\n" or a lone "\r" (also when the "\r" and
/// the "\n" arrive in different reads); the text after the last line end is one more line unless it is empty.
/// A line is valid until the next call. Lines that are kept must be copied (<c>ToString()</c>): the parsers of
/// a 10,000-set collection-status made a string of every line, and those strings and their collection were the
/// largest part of the run (issue 6).
/// </summary>
/// <remarks>
/// Decoding stays in the reader it is given (a StreamReader's BOM detection and invalid-byte replacement are
/// unchanged). Lines already read as strings (the look-ahead that detects a status file's form) can be handed in
/// as <paramref name="firstLines"/>: they come first, then the rest of the reader. A line longer than the buffer
/// grows it (from the pool); the buffer goes back to the pool on <see cref="Dispose"/>.
/// </remarks>
internal sealed class SpanLineReader(TextReader reader, IReadOnlyList<string>? firstLines = null) : IDisposable
{
    private const int InitialSize = 16 * 1024;

    private readonly string[] firstLines = firstLines?.ToArray() ?? []; // an array: no interface call per line
    private int firstIndex;
    private char[] buffer = ArrayPool<char>.Shared.Rent(InitialSize);
    private int start, end; // the unread text is buffer[start..end)
    private bool endOfInput;

    /// <summary>The next line without its line end; false at the end of the input.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        if (firstIndex < firstLines.Length)
        {
            line = firstLines[firstIndex++];
            return true;
        }
        var searched = 0; // text after start already known to hold no line end
        while (true)
        {
            var at = buffer.AsSpan(start + searched, end - start - searched).IndexOfAny('\r', '\n');
            if (at >= 0)
            {
                at += start + searched;
                if (buffer[at] == '\r' && at + 1 == end && !endOfInput)
                {
                    // A "\r" at the end of what has been read: a "\n" in the next read belongs to the same line end.
                    searched = at - start;
                    Fill();
                    continue;
                }
                line = buffer.AsSpan(start, at - start);
                var next = at + 1;
                if (buffer[at] == '\r' && next < end && buffer[next] == '\n') next++;
                start = next;
                return true;
            }
            searched = end - start;
            if (endOfInput)
            {
                line = buffer.AsSpan(start, end - start);
                start = end;
                return line.Length > 0;
            }
            Fill();
        }
    }

    /// <summary>Moves the unread text to the front (growing the buffer when one line fills it) and reads more.</summary>
    private void Fill()
    {
        var unread = end - start;
        if (unread == buffer.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(start, unread).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = bigger;
        }
        else if (start > 0)
        {
            buffer.AsSpan(start, unread).CopyTo(buffer);
        }
        start = 0;
        end = unread;
        var read = reader.Read(buffer, end, buffer.Length - end);
        if (read <= 0) endOfInput = true;
        else end += read;
    }

    public void Dispose()
    {
        if (buffer.Length == 0) return;
        ArrayPool<char>.Shared.Return(buffer);
        buffer = [];
        start = end = 0;
    }
}
