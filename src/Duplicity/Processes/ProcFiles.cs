using System.Text;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// Careful reads of /proc-style files (acquisition). A process can exit between listing and reading, and
/// another user's files can be closed to us: every read returns null for "not there / not readable" instead of
/// throwing, and reads are bounded so a megabyte command line costs no more than the limit.
/// </summary>
internal static class ProcFiles
{
    /// <summary>
    /// The first <paramref name="maxBytes"/> bytes of a file, or null when it is missing or unreadable (open, read,
    /// close: <see cref="RawFileRead"/>).
    /// </summary>
    public static byte[]? ReadBytes(string path, int maxBytes, out bool truncated)
    {
        truncated = false;
        if (path.Length == 0 || path.Contains('\0')) return null;
        var bytes = Encoding.UTF8.GetByteCount(path);
        Span<byte> nulTerminated = bytes < 1024 ? stackalloc byte[bytes + 1] : new byte[bytes + 1];
        Encoding.UTF8.GetBytes(path, nulTerminated);
        nulTerminated[bytes] = 0;
        return RawFileRead.ReadBytes(nulTerminated, maxBytes, out truncated);
    }

    /// <summary>
    /// Why a file could not be read, in words: Native AOT builds drop the runtime's message texts (an exception
    /// then says "IO_PathNotFound_Path"), so the reason is named from the exception type.
    /// </summary>
    public static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "path too long",
        _ => "I/O error",
    };

    public static string? ReadText(string path, int maxBytes = 64 * 1024)
    {
        var bytes = ReadBytes(path, maxBytes, out _);
        return bytes is null ? null : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The NUL-separated argument vector of a cmdline file (a trailing NUL ends the last argument).</summary>
    public static IReadOnlyList<string> SplitArgv(ReadOnlySpan<byte> bytes)
    {
        var argv = new List<string>();
        while (bytes.Length > 0)
        {
            var nul = bytes.IndexOf((byte)0);
            var arg = nul < 0 ? bytes : bytes[..nul];
            argv.Add(Encoding.UTF8.GetString(arg));
            if (nul < 0) break;
            bytes = bytes[(nul + 1)..];
        }
        return argv;
    }

    /// <summary>
    /// The target of a symbolic link such as <c>fd/0</c>; captures store it as a plain file <c>fd/0.link</c>
    /// holding the target (symlinks into /dev cannot be copied faithfully), which is read when there is no link.
    /// </summary>
    public static string? ReadLink(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target) return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
        return ReadText(path + ".link", 4096)?.TrimEnd('\n', '\r');
    }
}
