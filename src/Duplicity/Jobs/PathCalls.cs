using System.Runtime.InteropServices;
using System.Text;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// openat, readlinkat and close for a walk that opens each path component relative to its folder's descriptor.
/// The open flags differ between x86_64 and aarch64 (O_NOFOLLOW and O_DIRECTORY), so they are chosen at run time.
/// </summary>
internal static partial class PathCalls
{
    public const int NoSuchFile = 2;        // ENOENT
    public const int PermissionDenied = 13; // EACCES
    public const int NotADirectory = 20;    // ENOTDIR
    public const int TooManyLinks = 40;     // ELOOP
    private const int Interrupted = 4;      // EINTR

    private const int ReadOnly = 0;           // O_RDONLY
    private const int NoControllingTty = 0x100; // O_NOCTTY
    private const int NonBlocking = 0x800;    // O_NONBLOCK: opening a FIFO must not wait for a writer
    private const int CloseOnExec = 0x80000;  // O_CLOEXEC
    private const int PathOnly = 0x200000;    // O_PATH: a handle to the name itself, no read permission needed

    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 ? 0x8000 : 0x20000;

    public const int AtFdCwd = -100;

    /// <summary>A handle on the entry <paramref name="name"/> of <paramref name="dirFd"/> itself, a link not followed.</summary>
    public static int OpenEntry(int dirFd, string name, out int errno) => OpenAt(dirFd, name, PathOnly | NoFollow | CloseOnExec, out errno);

    /// <summary>The regular file <paramref name="name"/> of <paramref name="dirFd"/> opened for reading, a link not followed.</summary>
    public static int OpenForReading(int dirFd, string name, out int errno)
        => OpenAt(dirFd, name, ReadOnly | NoFollow | NonBlocking | NoControllingTty | CloseOnExec, out errno);

    /// <summary>The target of the link <paramref name="linkFd"/> (an O_PATH handle on the link), or null.</summary>
    public static unsafe string? LinkTarget(int linkFd)
    {
        var buffer = new byte[4096];
        nint n;
        // An empty path: the link the descriptor itself is (Linux 2.6.39 and later).
        fixed (byte* b = buffer)
            n = readlinkat(linkFd, "", b, buffer.Length);
        return n <= 0 || n >= buffer.Length ? null : Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    public static void Close(int fd)
    {
        if (fd >= 0) _ = close(fd);
    }

    private static int OpenAt(int dirFd, string name, int flags, out int errno)
    {
        int fd;
        do
        {
            fd = openat(dirFd, name, flags);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (fd < 0 && errno == Interrupted);
        return fd;
    }

    // openat(2) is variadic, but its mode is read only with O_CREAT or O_TMPFILE, which are never passed here.
    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int openat(int dirFd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "readlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial nint readlinkat(int dirFd, string path, byte* buffer, nint size);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
