using System.Buffers;
using System.IO.Compression;
using DuplicityChecks.Plugin;
using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// Counts the volumes listed in a plain-text manifest (duplicity-formats.md §5.5): the distinct numbers N of
/// the <c>Volume N:</c> lines at the start of a line. Distinct, because a resumed backup appends the volume
/// it restarts at once more (upstream keeps a dictionary keyed by volume number). The cache copy is written
/// as the backup runs (volumes first, <c>Filelist</c> last); a copy synced from the destination has the
/// <c>Filelist</c> first, so the whole file is read, streaming bytes, without building lines (a file list
/// can have millions of entries, all indented, so they never look like a volume line).
/// </summary>
public static partial class ManifestVolumes
{
    private static ReadOnlySpan<byte> VolumeWord => "Volume "u8;

    /// <summary>
    /// Distinct volume numbers counted at most (a million 25 MB volumes are 25 TB in one set): the set of numbers
    /// seen is the only thing that grows with the file, about 24 MB at this count. More: the manifest is unreadable.
    /// </summary>
    private const int MaxVolumes = 1_000_000;

    /// <summary>The volume count, or null when the file cannot be read (missing, permission, encrypted).</summary>
    public static int? Count(string path, bool gzipped = false, CancellationToken cancellationToken = default)
    {
        try
        {
            // O_NOFOLLOW: a manifest that is a link (a loop, or a file elsewhere) is not read; O_NONBLOCK: nor is a FIFO waited on.
            var fd = DirectoryCalls.OpenAt(DirectoryCalls.WorkingDirectory, path, DirectoryCalls.ReadOnly | DirectoryCalls.NoFollow | DirectoryCalls.NonBlocking | DirectoryCalls.CloseOnExec);
            if (fd < 0) return null;
            using var handle = new SafeFileHandle(fd, ownsHandle: true);
            using var file = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!file.CanSeek) return null; // not a regular file
            using var stream = gzipped ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            return Count(stream, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    public static int Count(Stream stream, CancellationToken cancellationToken = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            return Count(stream, buffer, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Count(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        var atLineStart = true;
        var matched = 0;      // bytes of "Volume " matched so far at the current line start
        long number = 0;
        var digits = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var b in buffer.AsSpan(0, read))
            {
                if (b == (byte)'\n')
                {
                    atLineStart = true;
                    matched = 0;
                    number = 0;
                    digits = 0;
                    continue;
                }
                if (!atLineStart) continue;
                if (matched < VolumeWord.Length)
                {
                    if (b == VolumeWord[matched]) matched++;
                    else atLineStart = false;
                    continue;
                }
                if (b >= (byte)'0' && b <= (byte)'9' && digits < 12)
                {
                    number = number * 10 + (b - '0');
                    digits++;
                    continue;
                }
                if (b == (byte)':' && digits > 0 && seen.Add(number) && seen.Count > MaxVolumes)
                    throw new InvalidDataException($"more than {MaxVolumes} volumes");
                atLineStart = false;
            }
        }
        return seen.Count;
    }
}
