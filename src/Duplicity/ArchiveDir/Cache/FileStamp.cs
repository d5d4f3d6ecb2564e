using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir.Cache;

/// <summary>
/// What changes when a file or folder changes: device, inode, size, and the modification and change times to the
/// nanosecond (statx). Adding, removing or renaming an entry sets a folder's mtime and ctime; nothing but the kernel
/// sets ctime (utimes cannot put it back), so an unchanged stamp means an unchanged folder, provided the stamp
/// was taken well after the last change (<see cref="SettledBefore"/>: timestamps have a granularity).
/// </summary>
public readonly record struct FileStamp(uint DeviceMajor, uint DeviceMinor, ulong Inode, ulong Size,
    long ModifiedSeconds, uint ModifiedNanoseconds, long ChangedSeconds, uint ChangedNanoseconds)
{
    /// <summary>The stamp of <paramref name="path"/> (following symbolic links), or null when it cannot be read.</summary>
    public static FileStamp? Of(string path)
    {
        if (DirectoryCalls.StatusFollowingLinks(path) is not { HasTimes: true } s) return null;
        return new FileStamp((uint)(s.Device >> 32), (uint)s.Device, s.Inode, s.Size, s.ModifiedSeconds, s.ModifiedNanoseconds,
            s.ChangedSeconds, s.ChangedNanoseconds);
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
}
