using System.Runtime.InteropServices;

namespace DuplicityChecks.TestSupport;

/// <summary>
/// The libc calls of the tests, declared once: the ones that build what a test needs (a link handed to another
/// user, a FIFO, a device node), a signal to a stand-in, an entry's owner, and fstat's st_dev (what the log
/// check saved as a log's device before statx). TestSupport serves the end-to-end tests too, which run the
/// published checks and link none of the product's code, so these do not come from the product's NativeMethods.
/// </summary>
public static partial class TestNativeMethods
{
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Lchown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mkfifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "mknod", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mknod(string path, uint mode, ulong device);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>The owner of <paramref name="path"/> (a link itself, not followed), or -1.</summary>
    public static int OwnerOf(string path) => statx(-100, path, AtSymlinkNoFollow, StatxUid, out var b) == 0 ? (int)b.Uid : -1;

    /// <summary>st_dev (glibc's dev_t) and st_ino of <paramref name="path"/> as lstat(2) reports them, or null.</summary>
    public static (ulong Device, ulong Inode)? StatIdentityOf(string path) => lstat(path, out var b) == 0 ? (b.Dev, b.Ino) : null;

    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
    }

    // glibc struct stat on x86_64 and aarch64 starts with st_dev and st_ino (both 64-bit); the rest is not read.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatBuffer
    {
        public ulong Dev;
        public ulong Ino;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int lstat(string path, out StatBuffer buffer);
}
