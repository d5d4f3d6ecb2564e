using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Opens a file for reading with open(2) and nothing else. On Unix every .NET open by path (FileStream,
/// File.OpenHandle, File.ReadAllText, StreamReader) takes an advisory flock: LOCK_SH for any FileShare but None,
/// non-blocking. A backup wrapper that holds LOCK_EX on its log (flock(1) around the job) then makes the open
/// fail with "being used by another process", and the check could not read the log at all. A monitor must
/// never take part in someone else's locking, so the files the checks read are opened here: no lock, and
/// FileStream over the descriptor (its constructor from a handle takes none either).
/// </summary>
public static class UnlockedFile
{
    private const int ReadOnly = 0;            // O_RDONLY
    private const int NoControllingTty = 0x100; // O_NOCTTY
    private const int CloseOnExec = 0x80000;    // O_CLOEXEC: the same on x86_64 and aarch64
    private const int Interrupted = 4;          // EINTR

    /// <summary>A read-only stream over <paramref name="path"/> (buffer size 1: the readers buffer themselves).</summary>
    public static FileStream OpenRead(string path, int bufferSize = 1) => new(OpenHandle(path), FileAccess.Read, bufferSize);

    /// <summary>A read-only descriptor of <paramref name="path"/>; errors as the .NET exceptions a FileStream throws.</summary>
    public static SafeFileHandle OpenHandle(string path)
    {
        if (path.Contains('\0')) throw new ArgumentException("a path cannot contain a NUL character", nameof(path));
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        int errno;
        do
        {
            fd = open(bytes, ReadOnly | NoControllingTty | CloseOnExec);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (fd < 0 && errno == Interrupted);
        if (fd < 0) throw ErrorFor(errno, path);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // open(2) opens a directory for reading too; a FileStream by path refuses it, and so does this.
        if (FileTimesOfHandle.Of(handle).IsDirectory)
        {
            handle.Dispose();
            throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }
        return handle;
    }

    private static Exception ErrorFor(int errno, string path) => errno switch
    {
        2 => new FileNotFoundException($"Could not find file '{path}'.", path),              // ENOENT
        20 => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."), // ENOTDIR
        13 or 1 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."), // EACCES, EPERM
        _ => new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'", errno),
    };

    // DllImport with blittable arguments: no generated marshalling, no unsafe code in this assembly.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int open(byte[] path, int flags);
}
