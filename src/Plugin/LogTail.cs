using System.Globalization;

namespace DuplicityChecks.Plugin;

/// <summary>Where the previous check stopped reading a log: the file's identity, the offset, and a fingerprint.</summary>
/// <param name="Fingerprint">SHA-256 (hex) of the file's first <paramref name="FingerprintLength"/> bytes.</param>
public sealed record LogTailPosition(ulong Device, ulong Inode, long Offset, string Fingerprint, int FingerprintLength)
{
    public void Save(StateFile state)
    {
        state.Set("device", Device.ToString(CultureInfo.InvariantCulture));
        state.Set("inode", Inode.ToString(CultureInfo.InvariantCulture));
        state.Set("offset", Offset.ToString(CultureInfo.InvariantCulture));
        state.Set("fingerprint", Fingerprint);
        state.Set("fingerprint_length", FingerprintLength.ToString(CultureInfo.InvariantCulture));
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
            && fpLength is >= 0 and <= LogTail.FingerprintSize)
            return new LogTailPosition(dev, ino, offset, fp, fpLength);
        problem = "the state file has no valid log position";
        return null;
    }
}

/// <summary>
/// Reads only what was appended to a log since the previous check (the nagiosplugin LogTail idea, acquisition
/// phase), and survives the ways logs are rotated:
/// <list type="bullet">
/// <item>same device and inode, size at least the old offset, same first bytes: continue at the old offset;</item>
/// <item>rename rotation (logrotate's default): the path has a new inode; the old file is looked for among its
/// siblings (<c>LOG.1</c>, <c>LOG-20261126</c>, ...) by inode, its unread rest is read first, then the new file
/// from the start;</item>
/// <item>copytruncate: same inode but shorter than the old offset (or other first bytes); the copy is looked for
/// among the siblings by its fingerprint and its unread rest is read first, then the log from the start;</item>
/// <item>truncation, or a file replaced with other content: read from the start.</item>
/// </list>
/// Only the bytes present when the tail was opened are read. The caller commits how many bytes it consumed
/// (<see cref="PositionAfter"/>): a last line still being written is not consumed until its newline arrives.
/// </summary>
public sealed class LogTail : IDisposable
{
    /// <summary>How many first bytes identify a file's content.</summary>
    public const int FingerprintSize = 256;

    /// <summary>At most this many sibling files are examined when looking for a rotated log.</summary>
    private const int MaxSiblings = 32;

    private readonly FileStream _current;
    private readonly FileStream? _rotated;
    private readonly long _rotatedStart;
    private readonly long _rotatedEnd;
    private readonly bool _rotatedNeedsNewline;

    private LogTail(string path, FileStream current, FileIdentityOfHandle identity, long length, long start, string fingerprint, int fingerprintLength,
        FileStream? rotated, string? rotatedPath, long rotatedStart, long rotatedEnd, bool rotatedNeedsNewline, string explanation)
    {
        Path = path;
        _current = current;
        Identity = identity;
        Length = length;
        StartOffset = start;
        CurrentFingerprint = fingerprint;
        CurrentFingerprintLength = fingerprintLength;
        _rotated = rotated;
        RotatedPath = rotatedPath;
        _rotatedStart = rotatedStart;
        _rotatedEnd = rotatedEnd;
        _rotatedNeedsNewline = rotatedNeedsNewline;
        Explanation = explanation;
        LastWriteUtc = File.GetLastWriteTimeUtc(path);
    }

    public string Path { get; }

    public FileIdentityOfHandle Identity { get; }

    /// <summary>Size of the log when it was opened; bytes appended later are left for the next check.</summary>
    public long Length { get; }

    /// <summary>Where reading starts in the current log.</summary>
    public long StartOffset { get; }

    public DateTime LastWriteUtc { get; }

    /// <summary>The rotated file whose unread rest is read first, if any.</summary>
    public string? RotatedPath { get; }

    /// <summary>What was decided and why, for -vv.</summary>
    public string Explanation { get; }

    public string CurrentFingerprint { get; }

    public int CurrentFingerprintLength { get; }

    /// <summary>Bytes handed out by <see cref="OpenReader"/> so far (tests assert on it: work proportional to new bytes).</summary>
    public long BytesRead { get; private set; }

    /// <summary>All bytes the reader will deliver: the rotated rest (plus a newline if it lacked one), then the new bytes.</summary>
    public long PendingBytes => RotatedPrefixLength + (Length - StartOffset);

    private long RotatedPrefixLength => _rotated is null ? 0 : _rotatedEnd - _rotatedStart + (_rotatedNeedsNewline ? 1 : 0);

    public static LogTail Open(string path, LogTailPosition? previous)
    {
        var current = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        try
        {
            var identity = FileIdentityOfHandle.Of(current.SafeFileHandle);
            var length = current.Length;
            var (fingerprint, fpLength) = Fingerprint(current, Math.Min(length, FingerprintSize));

            if (previous is null)
                return new LogTail(path, current, identity, length, 0, fingerprint, fpLength, null, null, 0, 0, false, "no saved position: reading the whole log");

            var sameFile = identity.Device == previous.Device && identity.Inode == previous.Inode;
            if (sameFile && length >= previous.Offset && SameStart(current, length, previous))
            {
                var how = length == previous.Offset ? $"nothing new since byte {previous.Offset}" : $"continuing at byte {previous.Offset}";
                return new LogTail(path, current, identity, length, previous.Offset, fingerprint, fpLength, null, null, 0, 0, false, how);
            }

            // The log is not the file we read last time (renamed away) or not the same content (truncated).
            // Find where the old content went so that its unread rest is not lost.
            var (rotated, rotatedPath) = FindPrevious(path, previous, byInode: !sameFile);
            var reason = sameFile
                ? (length < previous.Offset ? "truncated (copytruncate or emptied)" : "rewritten (other first bytes)")
                : "rotated (new inode)";
            if (rotated is null)
                return new LogTail(path, current, identity, length, 0, fingerprint, fpLength, null, null, 0, 0, false,
                    $"{reason}; the previous content was not found beside it: reading the log from the start");
            var rotatedEnd = rotated.Length;
            var needsNewline = rotatedEnd > previous.Offset && LastByte(rotated, rotatedEnd) != (byte)'\n';
            return new LogTail(path, current, identity, length, 0, fingerprint, fpLength, rotated, rotatedPath, previous.Offset, rotatedEnd, needsNewline,
                $"{reason}; reading the rest of {rotatedPath} from byte {previous.Offset}, then the log from the start");
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>A stream over the pending bytes (rotated rest first); it counts into <see cref="BytesRead"/>.</summary>
    public Stream OpenReader() => new TailStream(this);

    /// <summary>The position to save after the caller consumed <paramref name="consumed"/> bytes of the reader.</summary>
    public LogTailPosition PositionAfter(long consumed)
    {
        var prefix = RotatedPrefixLength;
        // A rotated file never grows again: its rest counts as consumed whatever the caller says about it.
        var offset = StartOffset + Math.Max(0, consumed - prefix);
        if (offset > Length) offset = Length;
        return new LogTailPosition(Identity.Device, Identity.Inode, offset, CurrentFingerprint, CurrentFingerprintLength);
    }

    private static (string Hash, int Length) Fingerprint(FileStream stream, long count)
    {
        var buffer = new byte[count];
        stream.Position = 0;
        stream.ReadExactly(buffer);
        return (Hashes.Sha256Hex(buffer), (int)count);
    }

    private static bool SameStart(FileStream stream, long length, LogTailPosition previous)
    {
        if (length < previous.FingerprintLength) return false;
        return Fingerprint(stream, previous.FingerprintLength).Hash == previous.Fingerprint;
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
                s = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                var id = FileIdentityOfHandle.Of(s.SafeFileHandle);
                var matches = byInode
                    ? id.Device == previous.Device && id.Inode == previous.Inode && s.Length >= previous.Offset
                    : s.Length >= previous.Offset && SameStart(s, s.Length, previous);
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
        _rotated?.Dispose();
    }

    /// <summary>Read-only, forward-only view of the pending bytes.</summary>
    private sealed class TailStream : ForwardReadStream
    {
        private readonly LogTail _tail;
        private long _rotatedPos;
        private bool _newlineGiven;
        private long _currentPos;

        public TailStream(LogTail tail)
        {
            _tail = tail;
            _rotatedPos = tail._rotatedStart;
            _newlineGiven = !tail._rotatedNeedsNewline;
            _currentPos = tail.StartOffset;
        }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.Length == 0) return 0;
            int n;
            if (_tail._rotated is { } rotated && _rotatedPos < _tail._rotatedEnd)
            {
                rotated.Position = _rotatedPos;
                n = rotated.Read(buffer[..(int)Math.Min(buffer.Length, _tail._rotatedEnd - _rotatedPos)]);
                if (n == 0)
                {
                    _rotatedPos = _tail._rotatedEnd; // shrank under us: go on with the log
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
                if (_currentPos >= _tail.Length) return 0;
                _tail._current.Position = _currentPos;
                n = _tail._current.Read(buffer[..(int)Math.Min(buffer.Length, _tail.Length - _currentPos)]);
                _currentPos += n;
            }
            _tail.BytesRead += n;
            return n;
        }
    }
}
