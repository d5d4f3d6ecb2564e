using System.Text;
using CliWrap;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Keeps the first <see cref="MaxBytes"/> of one of duplicity's output streams, and stops reading when told to
/// rather than at end of file: a helper duplicity started (an ssh ControlPersist master, a daemon) may hold the
/// pipe open for hours after duplicity exited, and the run is over when duplicity is (CliWrap itself waits for
/// end of file). What is read beyond the bound is read and dropped, so the writer never blocks on a full pipe.
/// </summary>
internal sealed class ExitBoundCapture(CancellationToken stopReading)
{
    /// <summary>collection-status of a large backup prints a line per set; an error text is a few kilobytes.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    private readonly MemoryStream _kept = new();

    /// <summary>More than <see cref="MaxBytes"/> arrived; the rest was dropped.</summary>
    public bool Truncated { get; private set; }

    public string Text
    {
        get
        {
            lock (_kept) return Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
        }
    }

    /// <summary>The pipe target CliWrap copies the stream into.</summary>
    public PipeTarget Target => PipeTarget.Create(CopyFromAsync);

    private async Task CopyFromAsync(Stream origin, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopReading);
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                // WaitAsync as well: a read that does not honour its token is abandoned (CliWrap closes the stream).
                var n = await origin.ReadAsync(buffer, either.Token).AsTask().WaitAsync(either.Token).ConfigureAwait(false);
                if (n == 0) return;
                Keep(buffer.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException) when (stopReading.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Told to stop: what arrived so far is the output.
        }
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        lock (_kept)
        {
            var room = MaxBytes - (int)_kept.Length;
            if (data.Length > room) Truncated = true;
            if (room > 0) _kept.Write(data[..Math.Min(room, data.Length)]);
        }
    }
}
