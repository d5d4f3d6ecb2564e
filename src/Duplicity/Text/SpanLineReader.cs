using System.Buffers;
using DuplicityChecks.Plugin;

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
/// grows it (from the pool), up to <paramref name="maxLineLength"/> characters: a longer line throws
/// <see cref="CheckException"/> naming <paramref name="source"/>, the line and the limit (a line is never cut, which
/// could hide what follows the cut; and /dev/zero is one endless line). The buffer goes back to the pool on
/// <see cref="Dispose"/>.
/// </remarks>
internal sealed class SpanLineReader(TextReader reader, IReadOnlyList<string>? firstLines = null,
    int maxLineLength = SpanLineReader.DefaultMaxLineLength, string source = "the input") : IDisposable
{
    /// <summary>Characters in one line unless the caller says otherwise: a bound, so that no input is one endless line.</summary>
    public const int DefaultMaxLineLength = 1 << 20;

    private const int InitialSize = 16 * 1024;

    private string[] _firstLines = firstLines?.ToArray() ?? []; // an array: no interface call per line
    private int _firstIndex;
    private long _linesRead; // lines taken from the reader (not the handed-in first lines)
    private char[] _buffer = ArrayPool<char>.Shared.Rent(InitialSize);
    private int _start, _end; // the unread text is buffer[start..end)
    private bool _endOfInput;

    /// <summary>The input's last line had no line end (the text was cut, or is still being written).</summary>
    public bool LastLineUnterminated { get; private set; }

    /// <summary>The next line without its line end; false at the end of the input.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        if (_firstIndex < _firstLines.Length)
        {
            line = _firstLines[_firstIndex++];
            return true;
        }
        var searched = 0; // text after start already known to hold no line end
        while (true)
        {
            var at = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOfAny('\r', '\n');
            if (at >= 0)
            {
                at += _start + searched;
                if (_buffer[at] == '\r' && at + 1 == _end && !_endOfInput)
                {
                    // A "\r" at the end of what has been read: a "\n" in the next read belongs to the same line end.
                    searched = at - _start;
                    Fill();
                    continue;
                }
                line = _buffer.AsSpan(_start, at - _start);
                CheckLength(line.Length);
                _linesRead++;
                var next = at + 1;
                if (_buffer[at] == '\r' && next < _end && _buffer[next] == '\n') next++;
                _start = next;
                return true;
            }
            searched = _end - _start;
            if (_endOfInput)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                _start = _end;
                CheckLength(line.Length);
                if (line.Length > 0)
                {
                    _linesRead++;
                    LastLineUnterminated = true;
                }
                return line.Length > 0;
            }
            // Without a line end, the text read so far is the start of one line.
            CheckLength(_end - _start);
            Fill();
        }
    }

    /// <summary>
    /// Hands the given lines out again before the rest of the input: the look-ahead that detects a file's form
    /// reads its lines from this reader, keeps copies, and gives them back (no second buffer over the same reader).
    /// Only when every line handed in earlier has been read.
    /// </summary>
    public void Replay(IReadOnlyList<string> lines)
    {
        if (_firstIndex < _firstLines.Length) throw new InvalidOperationException("earlier lines are still unread");
        _firstLines = lines.ToArray();
        _firstIndex = 0;
        _linesRead -= lines.Count;
    }

    private void CheckLength(int length)
    {
        if (length <= maxLineLength) return;
        throw new CheckException($"{source}: line {_linesRead + 1 + _firstLines.Length} is longer than the {ReadLimits.Format(maxLineLength)} read limit for one line");
    }

    /// <summary>Moves the unread text to the front (growing the buffer when one line fills it) and reads more.</summary>
    private void Fill()
    {
        var unread = _end - _start;
        if (unread == _buffer.Length)
        {
            // One more character than the limit proves a line too long (CheckLength), so no more is ever needed.
            var bigger = ArrayPool<char>.Shared.Rent((int)Math.Min(_buffer.Length * 2L, maxLineLength + 2L));
            _buffer.AsSpan(_start, unread).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
        }
        _start = 0;
        _end = unread;
        var read = reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read <= 0) _endOfInput = true;
        else _end += read;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = [];
        _start = _end = 0;
    }
}
