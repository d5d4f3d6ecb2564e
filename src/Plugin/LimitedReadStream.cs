namespace DuplicityChecks.Plugin;

/// <summary>
/// Hands out the bytes of another stream up to a limit and throws <see cref="CheckException"/> (with the caller's
/// message, which names the limit) as soon as the input proves longer: a device such as /dev/zero, a FIFO or a
/// file that grows while it is read reports no useful length, so the bound is counted, not asked for. At most one
/// read's worth of bytes past the limit is ever taken from the inner stream.
/// </summary>
public sealed class LimitedReadStream(Stream inner, long maxBytes, Func<string> exceeded, bool leaveOpen = false) : ForwardReadStream
{
    private long _total;

    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead => _total;

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _total += n;
        if (_total > maxBytes) throw new CheckException(exceeded());
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }
}
