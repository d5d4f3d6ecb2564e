using System.Runtime.InteropServices;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// Who owns a file, and who this process is, for the job file's trust rule: .NET exposes a file's mode but not its
/// owner. statx has the same layout on every architecture (unlike struct stat), so no per-architecture offsets.
/// </summary>
internal static partial class FileOwner
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;

    /// <summary>The owner's uid (following a symbolic link, as opening the file does), or null when stat fails.</summary>
    public static uint? Of(string path)
    {
        if (statx(AtFdCwd, path, 0, StatxUid, out var buffer) != 0 || (buffer.Mask & StatxUid) == 0) return null;
        return buffer.Uid;
    }

    /// <summary>The effective uid of this process.</summary>
    public static uint Effective => geteuid();

    // struct statx: stx_mask (u32), stx_blksize (u32), stx_attributes (u64), stx_nlink (u32), stx_uid (u32), ...
    // 256 bytes in all; only the first fields are read.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
