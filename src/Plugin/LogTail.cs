using System.Globalization;

namespace DuplicityChecks.Plugin;

/// <summary>Where the previous check stopped reading a log: the file's identity, the offset, and fingerprints.</summary>
/// <param name="Fingerprint">SHA-256 (hex) of the file's first <paramref name="FingerprintLength"/> bytes.</param>
public sealed record LogTailPosition(ulong Device, ulong Inode, long Offset, string Fingerprint, int FingerprintLength)
{
    /// <summary>SHA-256 (hex) of the <see cref="BeforeOffsetLength"/> bytes just before <see cref="Offset"/>; null in a state written before it existed.</summary>
    public string? BeforeOffset { get; init; }

    public int BeforeOffsetLength { get; init; }

    /// <summary>The file's size when the previous check read it (at least <see cref="Offset"/>: a held-back rest may follow).</summary>
    public long? Size { get; init; }

    /// <summary>The file's status-change time (ns since the epoch) when the previous check read it.</summary>
    public long? ChangedNs { get; init; }

    public void Save(StateFile state)
    {
        state.Set("device", Device.ToString(CultureInfo.InvariantCulture));
        state.Set("inode", Inode.ToString(CultureInfo.InvariantCulture));
        state.Set("offset", Offset.ToString(CultureInfo.InvariantCulture));
        state.Set("fingerprint", Fingerprint);
        state.Set("fingerprint_length", FingerprintLength.ToString(CultureInfo.InvariantCulture));
        if (BeforeOffset is { } before)
        {
            state.Set("before_offset", before);
            state.Set("before_offset_length", BeforeOffsetLength.ToString(CultureInfo.InvariantCulture));
        }
        if (Size is { } size) state.Set("size", size.ToString(CultureInfo.InvariantCulture));
        if (ChangedNs is { } changed) state.Set("ctime_ns", changed.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The saved position, or null when the state holds none (first run) or a damaged one (<paramref name="problem"/>).</summary>
    public static LogTailPosition? Load(StateFile state, out string? problem)
    {
        problem = null;
        if (state.Values.Count == 0) return null;
        if (ulong.TryParse(state.Get("device"), NumberStyles.None, CultureInfo.InvariantCulture, out var dev)
            && ulong.TryParse(state.Get("inode"), NumberStyles.None, CultureInfo.InvariantCulture, out var ino)
            && long.TryParse(state.Get("offset"), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            && int.TryParse(state.Get("fingerprint_length"), NumberStyles.None, CultureInfo.InvariantCulture, out var fpLength)
            && state.Get("fingerprint") is { Length: 64 } fp
            && fpLength is >= 0 and <= LogTail.FingerprintSize
            && OptionalFields(state, offset, out var before, out var beforeLength, out var size, out var changed))
            return new LogTailPosition(dev, ino, offset, fp, fpLength) { BeforeOffset = before, BeforeOffsetLength = beforeLength, Size = size, ChangedNs = changed };
        problem = "the state file has no valid log position";
        return null;
    }

    // The fields added for rewrite detection: absent in a state of an older version (then not compared), damaged
    // or inconsistent means the whole position is not trusted.
    private static bool OptionalFields(StateFile state, long offset, out string? before, out int beforeLength, out long? size, out long? changed)
    {
        before = null;
        beforeLength = 0;
        size = null;
        changed = null;
        if (state.Get("before_offset") is { } b)
        {
            if (b.Length != 64 || !int.TryParse(state.Get("before_offset_length"), NumberStyles.None, CultureInfo.InvariantCulture, out beforeLength)
                || beforeLength > LogTail.FingerprintSize || beforeLength > offset)
                return false;
            before = b;
        }
        if (state.Get("size") is { } s)
        {
            if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < offset) return false;
            size = v;
        }
        if (state.Get("ctime_ns") is { } c)
        {
            if (!long.TryParse(c, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return false;
            changed = v;
        }
        return true;
    }
}

/// <summary>
/// Reads only what was appended to a log since the previous check (the nagiosplugin LogTail idea, acquisition
/// phase), and survives the ways logs are rotated and rewritten:
/// <list type="bullet">
/// <item>same device and inode, size at least the old size, same first bytes and same bytes just before the old
/// offset, and not changed in place (same size but a new ctime): continue at the old offset;</item>
/// <item>rename rotation (logrotate's default): the path has a new inode; the old file is looked for among its
/// siblings (<c>LOG.1</c>, <c>LOG-20261126</c>, ...) by inode, its unread rest is read first, then the new file
/// from the start;</item>
/// <item>copytruncate: same inode but shorter than before (or other bytes); the copy is looked for among the
/// siblings by its fingerprints and its unread rest is read first, then the log from the start;</item>
/// <item>truncation, or a file rewritten with other content (even with the same first bytes and longer than the
/// old offset: the bytes before the offset differ, or it changed without growing): read from the start, and
/// <see cref="Restarted"/> says why.</item>
/// </list>
/// Only the bytes present when the tail was opened are read, and of the log only complete lines (up to its last
/// newline): a last line still being written is neither handed out nor consumed until its newline arrives
/// (<see cref="UnfinishedLine"/> lets the caller look at it). The caller commits how many bytes it consumed
/// (<see cref="PositionAfter"/>). Files are opened without any lock (<see cref="UnlockedFile"/>).
/// </summary>
public sealed class LogTail : IDisposable
{
    /// <summary>How many first bytes identify a file's content (and how many bytes before the offset are compared).</summary>
    public const int FingerprintSize = 256;

    /// <summary>At most this many sibling files are examined when looking for a rotated log.</summary>
    private const int MaxSiblings = 32;

    /// <summary>The unfinished last line is looked at only up to this length (a prompt is short).</summary>
    private const int MaxUnfinishedLine = 4096;

    private readonly FileStream _current;
    private readonly RotatedRest? _rotated;

    private LogTail(string path, FileStream current, FileStatus status, (string Hash, int Length) fingerprint, TailStart start)
    {
        Path = path;
        _current = current;
        Status = status;
        Length = (long)status.Size;
        StartOffset = Math.Min(start.Offset, Length);
        CompleteLength = CompleteLineEnd(current, StartOffset, Length);
        CurrentFingerprint = fingerprint.Hash;
        CurrentFingerprintLength = fingerprint.Length;
        _rotated = start.Rotated;
        Explanation = start.Explanation;
        Restarted = start.Restarted;
        LastWriteUtc = status.ModifiedUtc;
    }

    /// <summary>What <see cref="Open"/> decided: where the log is read from, why, and what is read before it.</summary>
    /// <param name="Offset">Where reading starts in the current log.</param>
    /// <param name="Explanation">What was decided and why, for -vv.</param>
    private sealed record TailStart(long Offset, string Explanation)
    {
        /// <summary>Why the log is read again from the start (see <see cref="LogTail.Restarted"/>).</summary>
        public string? Restarted { get; init; }

        /// <summary>The unread rest of the previous content, found in a rotated file.</summary>
        public RotatedRest? Rotated { get; init; }
    }

    /// <summary>The bytes [<paramref name="Start"/>, <paramref name="End"/>) of a rotated log, and a newline after them when it lacked one.</summary>
    private sealed record RotatedRest(FileStream Stream, string Path, long Start, long End, bool NeedsNewline)
    {
        public long Length => End - Start + (NeedsNewline ? 1 : 0);
    }

    public string Path { get; }

    /// <summary>Identity (device, inode), size and times of the log when it was opened (from one statx).</summary>
    public FileStatus Status { get; }

    /// <summary>Size of the log when it was opened; bytes appended later are left for the next check.</summary>
    public long Length { get; }

    /// <summary>The end of the log's last complete line (at most <see cref="Length"/>, at least <see cref="StartOffset"/>).</summary>
    public long CompleteLength { get; }

    /// <summary>Where reading starts in the current log.</summary>
    public long StartOffset { get; }

    public DateTime LastWriteUtc { get; }

    /// <summary>The rotated file whose unread rest is read first, if any.</summary>
    public string? RotatedPath => _rotated?.Path;

    /// <summary>What was decided and why, for -vv.</summary>
    public string Explanation { get; }

    /// <summary>
    /// Why the log is read from the start although a position was saved (truncated, rewritten in place), for the
    /// check's output; null when it continues, on a first run and after a rename rotation.
    /// </summary>
    public string? Restarted { get; }

    public string CurrentFingerprint { get; }

    public int CurrentFingerprintLength { get; }

    /// <summary>Bytes handed out by <see cref="OpenReader"/> so far (tests assert on it: work proportional to new bytes).</summary>
    public long BytesRead { get; private set; }

    /// <summary>All bytes the reader will deliver: the rotated rest (plus a newline if it lacked one), then the new complete lines.</summary>
    public long PendingBytes => RotatedPrefixLength + (CompleteLength - StartOffset);

    /// <summary>No byte was added since the previous check read the log (nothing pending and nothing unfinished).</summary>
    public bool NothingNew => PendingBytes == 0 && CompleteLength == Length;

    private long RotatedPrefixLength => _rotated?.Length ?? 0;

    public static LogTail Open(string path, LogTailPosition? previous)
    {
        var current = UnlockedFile.OpenRead(path);
        try
        {
            var status = FileStatus.Of(current.SafeFileHandle);
            var length = (long)status.Size;
            var fingerprint = Fingerprint(current, 0, Math.Min(length, FingerprintSize));
            LogTail Tail(TailStart start) => new(path, current, status, fingerprint, start);

            if (previous is null) return Tail(new(0, "no saved position: reading the whole log"));

            var sameFile = IsFileOf(status, previous);
            var change = sameFile ? ChangeSince(current, length, status, previous) : "rotated (new inode)";
            if (change is null)
                return Tail(new(previous.Offset, length == previous.Offset ? $"nothing new since byte {previous.Offset}" : $"continuing at byte {previous.Offset}"));

            // The log is not the file we read last time (renamed away) or not the same content (truncated,
            // rewritten). Find where the old content went so that its unread rest is not lost.
            var (rotated, rotatedPath) = FindPrevious(path, previous, byInode: !sameFile);
            var restarted = sameFile ? $"{path} was {change} since the last check: read again from the start" : null;
            if (rotated is null)
                return Tail(new(0, $"{change}; the previous content was not found beside it: reading the log from the start") { Restarted = restarted });
            var rotatedEnd = rotated.Length;
            var needsNewline = rotatedEnd > previous.Offset && LastByte(rotated, rotatedEnd) != (byte)'\n';
            return Tail(new(0, $"{change}; reading the rest of {rotatedPath} from byte {previous.Offset}, then the log from the start")
            {
                Rotated = new RotatedRest(rotated, rotatedPath!, previous.Offset, rotatedEnd, needsNewline),
            });
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The file a saved position was taken from: same inode, and the device as saved (st_dev, as the state files
    /// have always held it).
    /// </summary>
    private static bool IsFileOf(FileStatus status, LogTailPosition position)
        => status.StatDevice == position.Device && status.Inode == position.Inode;

    /// <summary>How the same file changed other than by appending, or null when it only grew (or did not change).</summary>
    private static string? ChangeSince(FileStream file, long length, FileStatus status, LogTailPosition previous)
    {
        if (length < previous.Offset) return "truncated (copytruncate or emptied)";
        if (previous.Size is { } size && length < size) return $"truncated (shorter than the {size} bytes seen last time)";
        if (!SameStart(file, length, previous)) return "rewritten (other first bytes)";
        if (!SameBeforeOffset(file, previous)) return $"rewritten in place (other bytes before byte {previous.Offset})";
        // Appending moves ctime too, but then the size grows; the same size with a new ctime is a change in place.
        if (previous.Size == length && previous.ChangedNs is { } changed && changed != status.ChangedNs) return "rewritten in place (changed without growing)";
        return null;
    }

    /// <summary>The last line of the log when it has no newline yet (at most 4 KiB of it, else null), for the caller to look at.</summary>
    public byte[]? UnfinishedLine()
    {
        var count = Length - CompleteLength;
        if (count == 0 || count > MaxUnfinishedLine) return null;
        var buffer = new byte[count];
        _current.Position = CompleteLength;
        var n = _current.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return n == buffer.Length ? buffer : buffer[..n];
    }

    /// <summary>
    /// A stream over the pending bytes (rotated rest first); it counts into <see cref="BytesRead"/>. With
    /// <paramref name="withUnfinishedLine"/> the unfinished last line is handed out too (a prompt that waits has no
    /// newline); it is never consumed (<see cref="PositionAfter"/> stops before it).
    /// </summary>
    public Stream OpenReader(bool withUnfinishedLine = false) => new TailStream(this, withUnfinishedLine ? Length : CompleteLength);

    /// <summary>The position to save after the caller consumed <paramref name="consumed"/> bytes of the reader.</summary>
    public LogTailPosition PositionAfter(long consumed)
    {
        var prefix = RotatedPrefixLength;
        // A rotated file never grows again: its rest counts as consumed whatever the caller says about it.
        var offset = StartOffset + Math.Max(0, consumed - prefix);
        if (offset > CompleteLength) offset = CompleteLength;
        var beforeLength = (int)Math.Min(offset, FingerprintSize);
        var (before, _) = Fingerprint(_current, offset - beforeLength, beforeLength);
        return new LogTailPosition(Status.StatDevice, Status.Inode, offset, CurrentFingerprint, CurrentFingerprintLength)
        {
            BeforeOffset = before,
            BeforeOffsetLength = beforeLength,
            Size = Length,
            ChangedNs = Status.ChangedNs,
        };
    }

    /// <summary>The end of the last newline in [start, length): the log is read backwards from its end in blocks.</summary>
    private static long CompleteLineEnd(FileStream stream, long start, long length)
    {
        var block = new byte[(int)Math.Min(64 << 10, Math.Max(1, length - start))];
        var end = length;
        while (end > start)
        {
            var from = Math.Max(start, end - block.Length);
            var count = (int)(end - from);
            stream.Position = from;
            stream.ReadExactly(block.AsSpan(0, count));
            var nl = block.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (nl >= 0) return from + nl + 1;
            end = from;
        }
        return start;
    }

    private static (string Hash, int Length) Fingerprint(FileStream stream, long from, long count)
    {
        var buffer = new byte[count];
        stream.Position = from;
        stream.ReadExactly(buffer);
        return (Hashes.Sha256Hex(buffer), (int)count);
    }

    private static bool SameStart(FileStream stream, long length, LogTailPosition previous)
    {
        if (length < previous.FingerprintLength) return false;
        return Fingerprint(stream, 0, previous.FingerprintLength).Hash == previous.Fingerprint;
    }

    private static bool SameBeforeOffset(FileStream stream, LogTailPosition previous)
    {
        if (previous.BeforeOffset is null) return true; // a state written before this was recorded
        if (stream.Length < previous.Offset) return false;
        return Fingerprint(stream, previous.Offset - previous.BeforeOffsetLength, previous.BeforeOffsetLength).Hash == previous.BeforeOffset;
    }

    private static byte LastByte(FileStream stream, long length)
    {
        stream.Position = length - 1;
        return (byte)stream.ReadByte();
    }

    private static (FileStream? Stream, string? Path) FindPrevious(string path, LogTailPosition previous, bool byInode)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var name = System.IO.Path.GetFileName(path);
        IEnumerable<string> siblings;
        try
        {
            siblings = Directory.EnumerateFiles(dir, name + "*")
                .Where(p => System.IO.Path.GetFileName(p) != name && !IsCompressed(p))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Take(MaxSiblings)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
        foreach (var candidate in siblings)
        {
            FileStream? s = null;
            try
            {
                s = UnlockedFile.OpenRead(candidate);
                var matches = byInode
                    ? IsFileOf(FileStatus.Of(s.SafeFileHandle), previous) && s.Length >= previous.Offset
                    : s.Length >= previous.Offset && SameStart(s, s.Length, previous) && SameBeforeOffset(s, previous);
                if (matches) return (s, candidate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            s?.Dispose();
        }
        return (null, null);
    }

    private static bool IsCompressed(string p) => p.EndsWith(".gz", StringComparison.Ordinal) || p.EndsWith(".xz", StringComparison.Ordinal)
        || p.EndsWith(".bz2", StringComparison.Ordinal) || p.EndsWith(".zst", StringComparison.Ordinal);

    public void Dispose()
    {
        _current.Dispose();
        _rotated?.Stream.Dispose();
    }

    /// <summary>Read-only, forward-only view of the pending bytes.</summary>
    private sealed class TailStream : ForwardReadStream
    {
        private readonly LogTail _tail;
        private readonly long _end;
        private long _rotatedPos;
        private bool _newlineGiven;
        private long _currentPos;

        public TailStream(LogTail tail, long end)
        {
            _tail = tail;
            _end = end;
            _rotatedPos = tail._rotated?.Start ?? 0;
            _newlineGiven = tail._rotated is not { NeedsNewline: true };
            _currentPos = tail.StartOffset;
        }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.Length == 0) return 0;
            int n;
            if (_tail._rotated is { } rotated && _rotatedPos < rotated.End)
            {
                rotated.Stream.Position = _rotatedPos;
                n = rotated.Stream.Read(buffer[..(int)Math.Min(buffer.Length, rotated.End - _rotatedPos)]);
                if (n == 0)
                {
                    _rotatedPos = rotated.End; // shrank under us: go on with the log
                    return Read(buffer);
                }
                _rotatedPos += n;
            }
            else if (_tail._rotated is not null && !_newlineGiven)
            {
                buffer[0] = (byte)'\n';
                _newlineGiven = true;
                n = 1;
            }
            else
            {
                if (_currentPos >= _end) return 0;
                _tail._current.Position = _currentPos;
                n = _tail._current.Read(buffer[..(int)Math.Min(buffer.Length, _end - _currentPos)]);
                _currentPos += n;
            }
            _tail.BytesRead += n;
            return n;
        }
    }
}
