using System.Runtime.InteropServices;

namespace DuplicityChecks.Duplicity.ArchiveDir.Cache;

/// <summary>
/// What changes when a file or folder changes: device, inode, size, and the modification and change times to the
/// nanosecond (statx). Adding, removing or renaming an entry sets a folder's mtime and ctime; nothing but the kernel
/// sets ctime (utimes cannot put it back), so an unchanged stamp means an unchanged folder, provided the stamp
/// was taken well after the last change (<see cref="SettledBefore"/>: timestamps have a granularity).
/// </summary>
public readonly partial record struct FileStamp(uint DeviceMajor, uint DeviceMinor, ulong Inode, ulong Size,
    long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds)
{
    private const int AtFdCwd = -100;
    private const uint Wanted = 0x40 | 0x80 | 0x100 | 0x200; // STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE

    /// <summary>The stamp of <paramref name="path"/> (following symbolic links), or null when it cannot be read.</summary>
    public static FileStamp? Of(string path)
    {
        if (statx(AtFdCwd, path, 0, Wanted, out var b) != 0 || (b.Mask & Wanted) != Wanted) return null;
        return new FileStamp(b.DeviceMajor, b.DeviceMinor, b.Inode, b.Size, b.ModifiedSeconds, b.ModifiedNanoseconds,
            b.ChangedSeconds, b.ChangedNanoseconds);
    }

    /// <summary>
    /// True when both times are at least <paramref name="margin"/> before <paramref name="now"/> (the real clock):
    /// a change made after this stamp was taken gets a later time, so it cannot produce the same stamp.
    /// </summary>
    public bool SettledBefore(DateTimeOffset now, TimeSpan margin)
    {
        var limit = now - margin;
        return Time(ModifiedSeconds, ModifiedNanoseconds) <= limit && Time(ChangedSeconds, ChangedNanoseconds) <= limit;
    }

    private static DateTimeOffset Time(long seconds, uint nanoseconds)
        => seconds is < -62135596800 or > 253402300799
            ? DateTimeOffset.MaxValue // out of range: never settled
            : DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100);

    // struct statx is the same on every architecture: stx_mask at 0, stx_ino at 32, stx_size at 40, stx_ctime at 96,
    // stx_mtime at 112 (struct statx_timestamp: s64 tv_sec, u32 tv_nsec, s32 reserved), stx_dev_major/minor at 136/140.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long ChangedSeconds;
        [FieldOffset(104)] public uint ChangedNanoseconds;
        [FieldOffset(112)] public long ModifiedSeconds;
        [FieldOffset(120)] public uint ModifiedNanoseconds;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);
}
