using System.Text;
using CliWrap;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Keeps the first <c>maxChars</c> characters of a child's stdout or stderr and reads the rest to its end without
/// keeping it: <see cref="PipeTarget.ToStringBuilder(StringBuilder)"/> keeps everything, so a duplicity (or a program
/// given as --duplicity) that writes without end grew the check without bound; and a pipe that is not read would
/// block the child. The streams are diagnostics (the listing comes from the machine log), so keeping their start
/// is enough; <see cref="Truncated"/> says that something was dropped.
/// </summary>
internal sealed class BoundedTextCapture
{
    private readonly StringBuilder _text = new();
    private readonly int _maxChars;

    public BoundedTextCapture(int maxChars)
    {
        _maxChars = maxChars;
        Target = PipeTarget.Create(ReadAsync);
    }

    public PipeTarget Target { get; }

    /// <summary>More was written than was kept.</summary>
    public bool Truncated { get; private set; }

    public override string ToString() => _text.ToString();

    private async Task ReadAsync(Stream stream, CancellationToken cancellation)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
        {
            var room = _maxChars - _text.Length;
            if (room > 0) _text.Append(buffer, 0, Math.Min(room, n));
            if (n > room) Truncated = true;
        }
    }
}
