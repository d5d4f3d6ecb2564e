using System.Runtime.InteropServices;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Every native function the checks call, declared once (as CliWrap keeps its NativeMethods): the libc calls and
/// the one function of src/Plugin/native/early-sigterm.c. Nothing outside src/Plugin/Platform calls these; the
/// typed wrappers beside this file do (<see cref="DirectoryCalls"/>: descriptors and paths,
/// <see cref="ProcessCalls"/>: processes, signals and the timer, <see cref="UserDatabase"/>: users), and add what
/// a raw call lacks (the retry on EINTR, errno, a typed answer).
/// DllImport with blittable arguments only: a path is a ref to the first byte of its NUL-terminated UTF-8 (which
/// pins the array for the call), a buffer a ref to its first byte, so no marshalling code is generated and this
/// assembly allows no unsafe code. Both libraries are bound when the executable is linked (DirectPInvoke in
/// checks/Directory.Build.props): no dlopen, the same calls in the static build.
/// </summary>
internal static class NativeMethods
{
    private const string Libc = "libc";

    // Descriptors and paths.

    [DllImport(Libc, SetLastError = true)]
    internal static extern int openat(int dirfd, in byte path, int flags, int mode);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int mkdirat(int dirfd, in byte path, int mode);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int renameat(int olddirfd, in byte oldpath, int newdirfd, in byte newpath);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int unlinkat(int dirfd, in byte path, int flags);

    [DllImport(Libc, SetLastError = true)]
    internal static extern nint readlinkat(int dirfd, in byte path, ref byte buffer, nint size);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int statx(int dirfd, in byte path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport(Libc, SetLastError = true)]
    internal static extern nint read(int fd, ref byte buffer, nint count);

    [DllImport(Libc, SetLastError = true)]
    internal static extern nint write(int fd, in byte buffer, nint count);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int fsync(int fd);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int flock(int fd, int operation);

    [DllImport(Libc)]
    internal static extern int close(int fd);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int poll(ref PollFd fds, nuint count, int timeoutMs);

    [DllImport(Libc, SetLastError = true)]
    internal static extern nint getrandom(ref byte buffer, nint count, uint flags);

    // Processes, signals, the timer.

    [DllImport(Libc)]
    internal static extern uint geteuid();

    [DllImport(Libc, SetLastError = true)]
    internal static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int kill(int pid, int signal);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int waitpid(int pid, out int status, int options);

    /// <summary>syscall(2) with two arguments (pidfd_open: glibc wraps it only since 2.36).</summary>
    [DllImport(Libc, SetLastError = true)]
    internal static extern nint syscall(nint number, nint arg1, nint arg2);

    [DllImport(Libc, SetLastError = true)]
    internal static extern int setitimer(int which, in IntervalTimer value, nint old);

    // Users (NSS). The answer's strings point into the buffer, so it is native memory, not a pinned array.

    [DllImport(Libc)]
    internal static extern int getpwnam_r(in byte name, out Passwd pwd, nint buffer, nuint length, out nint result);

    [DllImport(Libc)]
    internal static extern int getpwuid_r(uint uid, out Passwd pwd, nint buffer, nuint length, out nint result);

    // src/Plugin/native/early-sigterm.c, linked into the published checks only (a JIT build has no such library).

    [DllImport("early-sigterm")]
    internal static extern int duplicity_checks_early_sigterm();

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
        // A timestamp is seconds and nanoseconds, a device major and minor: each pair on one line.
        [FieldOffset(96)] public long ChangedSec; [FieldOffset(104)] public uint ChangedNsec;
        [FieldOffset(112)] public long ModifiedSec; [FieldOffset(120)] public uint ModifiedNsec;
        [FieldOffset(136)] public uint DeviceMajor; [FieldOffset(140)] public uint DeviceMinor;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    // struct itimerval: it_interval then it_value, each a struct timeval { time_t tv_sec; suseconds_t tv_usec; },
    // 64-bit fields on x86_64 and aarch64.
    [StructLayout(LayoutKind.Sequential)]
    internal struct IntervalTimer
    {
        public long IntervalSeconds;
        public long IntervalMicroseconds;
        public long ValueSeconds;
        public long ValueMicroseconds;
    }

    // struct passwd (pwd.h): the same field order on every Linux architecture; uid_t and gid_t are 32-bit.
    [StructLayout(LayoutKind.Sequential)]
    internal struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Dir;
        public nint Shell;
    }
}
