using System.Runtime.InteropServices;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// Type, mode, owner and identity of an open descriptor (statx with AT_EMPTY_PATH, so the answer belongs to what was
/// opened, not to whatever a path names a moment later). statx has the same layout on every architecture (unlike
/// struct stat), so no per-architecture offsets.
/// </summary>
internal readonly partial record struct DescriptorStatus(uint Uid, uint Mode, ulong Inode, ulong Device)
{
    private const uint TypeMask = 0xF000; // S_IFMT
    private const uint Directory = 0x4000;
    private const uint Regular = 0x8000;
    private const uint Link = 0xA000;

    public bool IsDirectory => (Mode & TypeMask) == Directory;

    public bool IsRegularFile => (Mode & TypeMask) == Regular;

    public bool IsSymbolicLink => (Mode & TypeMask) == Link;

    /// <summary>The permission bits and set-id/sticky bits (07777).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>The status of <paramref name="fd"/> (any descriptor, O_PATH ones too), or null when statx fails.</summary>
    public static DescriptorStatus? Of(int fd)
    {
        const int atEmptyPath = 0x1000;
        const uint wanted = 0x1 | 0x2 | 0x8 | 0x100; // STATX_TYPE | STATX_MODE | STATX_UID | STATX_INO
        if (statx(fd, "", atEmptyPath, wanted, out var b) != 0 || (b.Mask & wanted) != wanted) return null;
        return new DescriptorStatus(b.Uid, b.Mode, b.Inode, ((ulong)b.DeviceMajor << 32) | b.DeviceMinor);
    }

    /// <summary>The effective uid of this process: "the user running the check" of the trust rule.</summary>
    public static uint EffectiveUid => geteuid();

    // struct statx: stx_mask u32 @0, stx_blksize u32 @4, stx_attributes u64 @8, stx_nlink u32 @16, stx_uid u32 @20,
    // stx_gid u32 @24, stx_mode u16 @28, pad @30, stx_ino u64 @32, ... stx_dev_major u32 @136, stx_dev_minor u32 @140;
    // 256 bytes in all.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
