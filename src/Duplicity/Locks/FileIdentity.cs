using System.Runtime.InteropServices;

namespace DuplicityChecks.Duplicity.Locks;

/// <summary>Device and inode of a file (lstat), to match it against /proc/locks.</summary>
public static partial class FileIdentity
{
    public static (ulong Inode, uint Major, uint Minor)? Of(string path)
    {
        if (Stat(path, out var st) != 0) return null;
        // glibc's dev_t encoding (gnu_dev_major / gnu_dev_minor).
        var dev = st.Dev;
        var major = (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & 0xfffff000));
        var minor = (uint)((dev & 0xff) | ((dev >> 12) & 0xffffff00));
        return (st.Ino, major, minor);
    }

    private static int Stat(string path, out StatBuffer buffer) => lstat(path, out buffer);

    // glibc struct stat on x86_64 and aarch64 starts with st_dev, st_ino (both 64-bit); the rest (at most
    // 144 bytes in all) is not read, so the buffer is sized generously and stays blittable.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatBuffer
    {
        public ulong Dev;
        public ulong Ino;
    }

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int lstat(string path, out StatBuffer buffer);
}
