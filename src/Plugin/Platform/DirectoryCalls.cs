using System.Runtime.InteropServices;
using System.Text;
using static DuplicityChecks.Plugin.NativeMethods;

namespace DuplicityChecks.Plugin;

/// <summary>
/// The libc calls that work relative to an open directory (openat, mkdirat, renameat, unlinkat, readlinkat, statx
/// on a descriptor) and the few that go with them (read, write, fsync, flock, close, geteuid, getrandom). .NET opens
/// files by path only, following every link on the way, and takes an advisory lock on every file it opens; a state
/// directory that another user can write, a job file's path and a log that a wrapper locks need each name resolved
/// in the directory that was checked, without following a planted link and without a lock. The
/// typed wrappers of these calls (the state dir, the job file walk, the lock-free reads, the manifests, the /proc
/// reads of the process table); the declarations are in <see cref="NativeMethods"/>.
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
        do fd = openat(directory < 0 ? WorkingDirectory : directory, in native[0], flags, mode);
        while (fd < 0 && LastError == Interrupted);
        return fd;
    }

    public static int MakeDirectoryAt(int directory, string name, int mode) => mkdirat(directory, in Native(name)[0], mode);

    public static int RenameAt(int directory, string from, string to) => renameat(directory, in Native(from)[0], directory, in Native(to)[0]);

    public static int UnlinkAt(int directory, string name) => unlinkat(directory, in Native(name)[0], 0);

    /// <summary>The target of the symbolic link <paramref name="name"/> in <paramref name="directory"/>, or null. An empty
    /// name reads the link that <paramref name="directory"/> itself is (an O_PATH|O_NOFOLLOW handle on a link).</summary>
    public static string? ReadLinkAt(int directory, string name)
    {
        var buffer = new byte[4097];
        var n = readlinkat(directory, in Native(name)[0], ref buffer[0], buffer.Length);
        return n <= 0 || n >= buffer.Length ? null : Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    /// <summary>What the open descriptor is (fstat by statx: the same layout on every architecture).</summary>
    public static FileStatus? StatusOf(int fd)
    {
        byte empty = 0;
        return statx(fd, in empty, AtEmptyPath, StatxWanted, out var b) == 0 ? FileStatus.From(b) : null;
    }

    /// <summary>What <paramref name="path"/> leads to, following links (a folder given by the user may be a link).</summary>
    public static FileStatus? StatusFollowingLinks(string path)
        => statx(WorkingDirectory, in Native(path)[0], 0, StatxWanted, out var b) == 0 ? FileStatus.From(b) : null;

    /// <summary>What <paramref name="name"/> in <paramref name="directory"/> is, not following a link.</summary>
    public static FileStatus? StatusAt(int directory, string name)
        => statx(directory, in Native(name)[0], AtSymlinkNoFollow, StatxWanted, out var b) == 0 ? FileStatus.From(b) : null;

    /// <summary>
    /// Opens the NUL-terminated path <paramref name="path"/> for reading (close-on-exec): the descriptor, or -1 with
    /// errno. For paths built as bytes (every /proc file of the process table): no string, no conversion.
    /// </summary>
    public static int OpenReadOnly(ReadOnlySpan<byte> path)
    {
        if (path.IndexOf((byte)0) < 0) throw new ArgumentException("the path must end with a NUL byte", nameof(path));
        int fd;
        do fd = openat(WorkingDirectory, in MemoryMarshal.GetReference(path), ReadOnly | CloseOnExec, 0);
        while (fd < 0 && LastError == Interrupted);
        return fd;
    }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>: bytes read, 0 at the end, -1 on error.</summary>
    public static long Read(int fd, byte[] buffer, int offset) => Read(fd, buffer.AsSpan(offset));

    /// <summary>Reads into <paramref name="into"/>: bytes read, 0 at the end (or for an empty span), -1 on error.</summary>
    public static int Read(int fd, Span<byte> into)
    {
        if (into.IsEmpty) return 0;
        nint n;
        do n = read(fd, ref MemoryMarshal.GetReference(into), into.Length);
        while (n < 0 && LastError == Interrupted);
        return (int)n;
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
}
