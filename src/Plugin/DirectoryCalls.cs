using System.Runtime.InteropServices;
using System.Text;

namespace DuplicityChecks.Plugin;

/// <summary>
/// The libc calls that work relative to an open directory (openat, mkdirat, renameat, unlinkat, readlinkat, statx
/// on a descriptor) and the few that go with them (read, write, fsync, flock, close, geteuid, getrandom). .NET opens
/// files by path only, following every link on the way, and takes an advisory lock on every file it opens; a state
/// directory that another user can write, a job file's path and a log that a wrapper locks need each name resolved
/// in the directory that was checked, without following a planted link and without a lock. The one place these
/// calls are bound (the state dir, the job file walk, the lock-free reads, the manifests).
/// </summary>
public static class DirectoryCalls
{
    public const int NoEntry = 2;          // ENOENT
    public const int Interrupted = 4;      // EINTR
    public const int WouldBlock = 11;      // EAGAIN, EWOULDBLOCK
    public const int AccessDenied = 13;    // EACCES
    public const int Exists = 17;          // EEXIST
    public const int NotDirectory = 20;    // ENOTDIR
    public const int TooManyLinks = 40;    // ELOOP: with O_NOFOLLOW, the name is a symbolic link

    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int Create = 0x40;        // O_CREAT
    public const int Exclusive = 0x80;     // O_EXCL
    public const int NoControllingTty = 0x100;
    public const int NonBlocking = 0x800;  // O_NONBLOCK: a planted FIFO must not block the open
    public const int CloseOnExec = 0x80000;
    public const int PathOnly = 0x200000;  // O_PATH: a handle to the name itself, no read permission needed

    /// <summary>openat's directory for a path relative to the working directory (or an absolute one).</summary>
    public const int WorkingDirectory = -100; // AT_FDCWD

    // O_DIRECTORY and O_NOFOLLOW are the only flags used here whose values differ between x86_64 (and most
    // architectures) and arm/aarch64.
    public static readonly int DirectoryOnly = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
    public static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const uint StatxWanted = 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200; // TYPE, MODE, NLINK, UID, MTIME, CTIME, INO, SIZE

    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>A name or path as the NUL-terminated UTF-8 the kernel takes.</summary>
    public static byte[] Native(string path)
    {
        if (path.Contains('\0')) throw new ArgumentException("a path cannot contain a NUL character", nameof(path));
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    public static int OpenAt(int directory, string name, int flags, int mode = 0)
    {
        var native = Native(name);
        int fd;
        do fd = openat(directory < 0 ? WorkingDirectory : directory, ref native[0], flags, mode);
        while (fd < 0 && LastError == Interrupted);
        return fd;
    }

    public static int MakeDirectoryAt(int directory, string name, int mode) => mkdirat(directory, ref Native(name)[0], mode);

    public static int RenameAt(int directory, string from, string to) => renameat(directory, ref Native(from)[0], directory, ref Native(to)[0]);

    public static int UnlinkAt(int directory, string name) => unlinkat(directory, ref Native(name)[0], 0);

    /// <summary>The target of the symbolic link <paramref name="name"/> in <paramref name="directory"/>, or null. An empty
    /// name reads the link that <paramref name="directory"/> itself is (an O_PATH|O_NOFOLLOW handle on a link).</summary>
    public static string? ReadLinkAt(int directory, string name)
    {
        var buffer = new byte[4097];
        var n = readlinkat(directory, ref Native(name)[0], ref buffer[0], buffer.Length);
        return n <= 0 || n >= buffer.Length ? null : Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    /// <summary>What the open descriptor is (fstat by statx: the same layout on every architecture).</summary>
    public static FileStatus? StatusOf(int fd)
    {
        byte empty = 0;
        return statx(fd, ref empty, AtEmptyPath, StatxWanted, out var b) == 0 ? FileStatus.From(b) : null;
    }

    /// <summary>What <paramref name="path"/> leads to, following links (a folder given by the user may be a link).</summary>
    public static FileStatus? StatusFollowingLinks(string path)
        => statx(WorkingDirectory, ref Native(path)[0], 0, StatxWanted, out var b) == 0 ? FileStatus.From(b) : null;

    /// <summary>What <paramref name="name"/> in <paramref name="directory"/> is, not following a link.</summary>
    public static FileStatus? StatusAt(int directory, string name)
        => statx(directory, ref Native(name)[0], AtSymlinkNoFollow, StatxWanted, out var b) == 0 ? FileStatus.From(b) : null;

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>: bytes read, 0 at the end, -1 on error.</summary>
    public static long Read(int fd, byte[] buffer, int offset)
    {
        long n;
        do n = read(fd, ref buffer[offset], buffer.Length - offset);
        while (n < 0 && LastError == Interrupted);
        return n;
    }

    /// <summary>Writes all of <paramref name="data"/>; false with errno on failure.</summary>
    public static bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var n = write(fd, in MemoryMarshal.GetReference(data), data.Length);
            if (n < 0 && LastError == Interrupted) continue;
            if (n <= 0) return false;
            data = data[(int)n..];
        }
        return true;
    }

    public static int Fsync(int fd) => fsync(fd);

    public static void Close(int fd)
    {
        if (fd >= 0) _ = close(fd);
    }

    /// <summary>flock(LOCK_EX | LOCK_NB): 0 when taken, else -1 with errno (EWOULDBLOCK: another holds it).</summary>
    public static int TryLockExclusive(int fd) => flock(fd, LockExclusive | LockNonBlocking);

    public static uint EffectiveUser => geteuid();

    /// <summary>
    /// Random bytes from the kernel (getrandom). .NET's RandomNumberGenerator would load OpenSSL (libssl, libcrypto:
    /// ~20 ms, and a dynamic load in a static executable) for 8 bytes of a file name.
    /// </summary>
    public static byte[] RandomBytes(int count)
    {
        var buffer = new byte[count];
        var at = 0;
        while (at < count)
        {
            var n = getrandom(ref buffer[at], count - at, 0);
            if (n < 0 && LastError == Interrupted) continue;
            if (n <= 0) throw new IOException($"getrandom failed (errno {LastError})");
            at += (int)n;
        }
        return buffer;
    }

    // struct statx: stx_mask u32 @0, stx_nlink u32 @16, stx_uid u32 @20, stx_mode u16 @28, stx_ino u64 @32,
    // stx_size u64 @40, stx_ctime @96 and stx_mtime @112 (tv_sec i64, tv_nsec u32), stx_dev_major u32 @136,
    // stx_dev_minor u32 @140; 256 bytes in all, the same on every architecture.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(16)] public uint Links;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(96)] public long ChangedSec;
        [FieldOffset(104)] public uint ChangedNsec;
        [FieldOffset(112)] public long ModifiedSec;
        [FieldOffset(120)] public uint ModifiedNsec;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }

    // DllImport with blittable arguments (a path is passed as a ref to its first byte, which pins the array): this
    // assembly allows no unsafe code (as FileIdentityOfHandle and CheckWatchdog).
    [DllImport("libc", SetLastError = true)]
    private static extern int openat(int dirfd, ref byte path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdirat(int dirfd, ref byte path, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int renameat(int olddirfd, ref byte oldpath, int newdirfd, ref byte newpath);

    [DllImport("libc", SetLastError = true)]
    private static extern int unlinkat(int dirfd, ref byte path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint readlinkat(int dirfd, ref byte path, ref byte buffer, nint size);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, ref byte path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, ref byte buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, in byte buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc")]
    private static extern int close(int fd);

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern nint getrandom(ref byte buffer, nint count, uint flags);
}
