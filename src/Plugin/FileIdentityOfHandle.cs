using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Device and inode of an open file (<c>fstat</c> on the descriptor, so the answer belongs to the file that was
/// opened even if the path is renamed a moment later). .NET has no API for the inode; a log tail needs it to tell
/// a rotated log from the same log grown.
/// </summary>
public readonly record struct FileIdentityOfHandle(ulong Device, ulong Inode)
{
    public static FileIdentityOfHandle Of(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if (fstat(fd, out var st) != 0)
                throw new IOException($"fstat failed (errno {Marshal.GetLastPInvokeError()})");
            return new FileIdentityOfHandle(st.Dev, st.Ino);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    public static FileIdentityOfHandle? OfPath(string path)
    {
        try
        {
            using var handle = UnlockedFile.OpenHandle(path);
            return Of(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // glibc struct stat on x86_64 and aarch64 starts with st_dev and st_ino (both 64-bit); the rest (at most
    // 144 bytes) is not read, so the buffer is sized generously and stays blittable. DllImport rather than
    // LibraryImport: blittable arguments need no generated marshalling, and this assembly allows no unsafe code.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatBuffer
    {
        public ulong Dev;
        public ulong Ino;
    }

    [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static extern int fstat(int fd, out StatBuffer buffer);
}
