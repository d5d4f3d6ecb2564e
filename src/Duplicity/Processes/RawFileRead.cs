using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// Reads a file (its start, or all of it up to a bound) with open, read and close, and nothing else: every /proc
/// file the process table reads goes through here (ProcFiles.ReadBytes too). It reads one cmdline per
/// process (~120 on a small server, thousands on a big one); <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/>
/// adds an fstat, a shared flock and its release and a SafeFileHandle to each, and the path was a string: two thirds
/// of the process-table scan's profile (packaging/docs/benchmarks.md #24). Paths are built as bytes in one buffer
/// (the calls: <see cref="DirectoryCalls.OpenReadOnly"/>, <see cref="DirectoryCalls.Read(int, Span{byte})"/>).
/// </summary>
internal static class RawFileRead
{
    /// <summary>
    /// Writes the NUL-terminated path <c>ROOT/PID/NAME</c> into <paramref name="destination"/> and returns its
    /// length without the NUL. <paramref name="root"/> is UTF-8 without NUL (see <see cref="RootBytes"/>).
    /// </summary>
    public static int ProcessFilePath(ReadOnlySpan<byte> root, int pid, ReadOnlySpan<byte> name, Span<byte> destination)
    {
        var at = 0;
        if (Append(root, destination, ref at) && Append("/"u8, destination, ref at)
            && pid.TryFormat(destination[at..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            at += digits;
            if (Append("/"u8, destination, ref at) && Append(name, destination, ref at) && at < destination.Length)
            {
                destination[at] = 0;
                return at;
            }
        }
        throw new ArgumentException("the path buffer is too small", nameof(destination));
    }

    /// <summary>
    /// A directory as UTF-8 for <see cref="ProcessFilePath"/>, without trailing slashes ("/" becomes "", so paths
    /// start "/PID/"); a path with a NUL cannot name a file.
    /// </summary>
    public static byte[] RootBytes(string root)
    {
        if (root.Contains('\0')) throw new ArgumentException("a path cannot contain a NUL character", nameof(root));
        return Encoding.UTF8.GetBytes(root.TrimEnd('/'));
    }

    /// <summary>
    /// Reads the start of the file at <paramref name="path"/> (NUL-terminated) into <paramref name="buffer"/>: the
    /// byte count (<paramref name="full"/> says the buffer was filled, so the file may be longer), or -1 when the
    /// file is missing or unreadable (a process that exited, another user's closed file, a directory).
    /// </summary>
    public static int ReadInto(ReadOnlySpan<byte> path, Span<byte> buffer, out bool full)
    {
        full = false;
        var fd = DirectoryCalls.OpenReadOnly(path);
        if (fd < 0) return -1;
        try
        {
            var length = 0;
            while (length < buffer.Length)
            {
                var n = DirectoryCalls.Read(fd, buffer[length..]);
                if (n < 0) return -1;
                if (n == 0) return length;
                length += n;
            }
            full = true;
            return length;
        }
        finally
        {
            DirectoryCalls.Close(fd);
        }
    }

    /// <summary>
    /// The first <paramref name="maxBytes"/> bytes of the file at <paramref name="path"/> (NUL-terminated), or null
    /// when it is missing or unreadable; <paramref name="truncated"/> when the file is longer. /proc files report
    /// size 0, so the buffer starts at 4 KiB and grows (x4) until end of file or the limit.
    /// </summary>
    public static byte[]? ReadBytes(ReadOnlySpan<byte> path, int maxBytes, out bool truncated)
    {
        truncated = false;
        var fd = DirectoryCalls.OpenReadOnly(path);
        if (fd < 0) return null;
        try
        {
            var buffer = new byte[Math.Min(maxBytes + 1, 4096)];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > maxBytes) break;
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 4, maxBytes + 1));
                }
                var n = DirectoryCalls.Read(fd, buffer.AsSpan(length));
                if (n < 0) return null;
                if (n == 0) break;
                length += n;
            }
            if (length > maxBytes)
            {
                truncated = true;
                length = maxBytes;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            DirectoryCalls.Close(fd);
        }
    }

    private static bool Append(ReadOnlySpan<byte> part, Span<byte> destination, ref int at)
    {
        if (!part.TryCopyTo(destination[at..])) return false;
        at += part.Length;
        return true;
    }
}
