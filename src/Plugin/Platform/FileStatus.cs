using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Plugin;

/// <summary>
/// What an open file or a directory entry is: its type and permission bits, owner, size, identity (device, inode),
/// links, modification and status-change time; from one statx, so that the fields belong together (a log tail
/// compares size and ctime with the previous check's; a write landing between two calls would split them).
/// It is the one file identity of the checks: <see cref="Device"/> and <see cref="Inode"/> tell a rotated log from
/// the same log grown (saved as <see cref="StatDevice"/>), and a lockfile's entry in /proc/locks
/// (<see cref="DeviceMajor"/>, <see cref="DeviceMinor"/>).
/// </summary>
/// <param name="Device">The device as statx gives it: major in the high 32 bits, minor in the low 32 bits.</param>
public readonly record struct FileStatus(uint Mode, uint Owner, ulong Size, ulong Inode, uint Links, ulong Device = 0,
    long ModifiedSeconds = 0, uint ModifiedNanoseconds = 0, long ChangedSeconds = 0, uint ChangedNanoseconds = 0, bool HasTimes = false)
{
    private const long FirstDateTimeSecond = -62135596800; // 0001-01-01, DateTime.MinValue
    private const long LastDateTimeSecond = 253402300799;  // 9999-12-31 23:59:59, DateTime.MaxValue

    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;
    private const uint Directory = 0x4000;
    private const uint SymbolicLink = 0xA000;
    private const uint Needed = 0x1 | 0x2 | 0x8 | 0x200; // TYPE, MODE, UID, SIZE
    private const uint TimesAndInode = 0x40 | 0x80 | 0x100; // MTIME, CTIME, INO: not every file system has them

    public uint DeviceMajor => (uint)(Device >> 32);

    public uint DeviceMinor => (uint)Device;

    /// <summary>
    /// The device as stat(2) reports st_dev (glibc's dev_t: makedev of major and minor), the number a saved log
    /// position holds: the state files written while the identity came from fstat stay valid.
    /// </summary>
    public ulong StatDevice => StatDeviceOf(DeviceMajor, DeviceMinor);

    /// <summary>glibc's makedev (sys/sysmacros.h): major bits 0-11 at 8, 12-31 at 44; minor bits 0-7 at 0, 8-31 at 20.</summary>
    public static ulong StatDeviceOf(uint major, uint minor)
        => ((ulong)(major & 0xfff) << 8) | ((ulong)(major & 0xfffff000) << 32) | (minor & 0xffu) | ((ulong)(minor & 0xffffff00) << 12);

    public bool IsRegularFile => (Mode & TypeMask) == Regular;

    /// <summary>The permission bits and set-id/sticky bits (07777).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>The status-change time as one number, to compare with a saved one (it wraps only past the year 2262).</summary>
    public long ChangedNs => unchecked(ChangedSeconds * 1_000_000_000 + ChangedNanoseconds);

    /// <summary>The modification time; a time a DateTime cannot hold (touch -d can set any) is its first or last value.</summary>
    public DateTime ModifiedUtc => ModifiedSeconds switch
    {
        < FirstDateTimeSecond => DateTime.MinValue,
        >= LastDateTimeSecond => DateTime.MaxValue,
        _ => DateTime.UnixEpoch.AddTicks(ModifiedSeconds * TimeSpan.TicksPerSecond + ModifiedNanoseconds / 100),
    };

    public bool IsDirectory => (Mode & TypeMask) == Directory;

    public bool IsSymbolicLink => (Mode & TypeMask) == SymbolicLink;

    /// <summary>Writable by its group or by others.</summary>
    public bool WritableByOthers => (Mode & 0x12) != 0; // S_IWGRP | S_IWOTH

    /// <summary>The sticky bit: in such a folder only an entry's owner (or the folder's) may rename or remove it.</summary>
    public bool Sticky => (Mode & 0x200) != 0;

    /// <summary>The file type in words, for a reason.</summary>
    public string TypeName => (Mode & TypeMask) switch
    {
        Regular => "a regular file",
        Directory => "a directory",
        SymbolicLink => "a symbolic link",
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "of an unknown type",
    };

    /// <summary>The status of an open file; an <see cref="IOException"/> when it cannot be read.</summary>
    public static FileStatus Of(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return DirectoryCalls.StatusOf((int)handle.DangerousGetHandle())
                ?? throw new IOException($"statx failed (errno {DirectoryCalls.LastError})");
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>What <paramref name="path"/> names, a link itself not followed (lstat); null when it cannot be seen.</summary>
    public static FileStatus? OfName(string path)
        => path.Contains('\0') ? null : DirectoryCalls.StatusAt(DirectoryCalls.WorkingDirectory, path);

    internal static FileStatus? From(in NativeMethods.StatxBuffer b)
        => (b.Mask & Needed) == Needed
            ? new FileStatus(b.Mode, b.Uid, b.Size, b.Inode, b.Links, ((ulong)b.DeviceMajor << 32) | b.DeviceMinor,
                b.ModifiedSec, b.ModifiedNsec, b.ChangedSec, b.ChangedNsec, (b.Mask & TimesAndInode) == TimesAndInode)
            : null;
}
