using System.Runtime.InteropServices;
using static DuplicityChecks.Plugin.NativeMethods;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Processes, signals and the check's timer: what .NET's Process class cannot do (signals other than SIGKILL,
/// adopting orphans, waiting for a child's exit apart from its pipes, a kernel timer, a SIGTERM that came before
/// the runtime). Typed wrappers of the declarations in <see cref="NativeMethods"/>.
/// </summary>
public static class ProcessCalls
{
    public const int NotPermitted = 1;   // EPERM
    public const int NoSuchProcess = 3;  // ESRCH

    private const int Interrupted = 4;   // EINTR
    private const int PrSetChildSubreaper = 36;
    private const int WNoHang = 1;
    private const nint PidfdOpenSyscall = 434; // the same number on x86_64 and aarch64 (a syscall added after the tables were unified)
    private const short PollIn = 1;
    private const int ItimerReal = 0;

    /// <summary>prctl(PR_SET_CHILD_SUBREAPER): orphans of our descendants are re-parented to this process.</summary>
    public static void BecomeChildSubreaper() => _ = prctl(PrSetChildSubreaper, 1, 0, 0, 0);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false with <paramref name="error"/> (errno) when it could not.</summary>
    public static bool Signal(int pid, int signal, out int error)
    {
        var sent = kill(pid, signal) == 0;
        error = sent ? 0 : Marshal.GetLastPInvokeError();
        return sent;
    }

    /// <summary>Reaps <paramref name="pid"/>, a child of this process, if it has exited (waitpid with WNOHANG).</summary>
    public static void ReapIfExited(int pid) => _ = waitpid(pid, out _, WNoHang);

    /// <summary>A pidfd of <paramref name="pid"/> (pidfd_open, Linux 5.3), readable once it exits; -1 with <paramref name="error"/> (errno).</summary>
    public static int OpenPidFd(int pid, out int error)
    {
        var fd = (int)syscall(PidfdOpenSyscall, pid, 0);
        error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for <paramref name="fd"/> to become readable: true when it did, or
    /// when poll failed other than by an interruption (then waiting on it is pointless).
    /// </summary>
    public static bool WaitReadable(int fd, int timeoutMs)
    {
        var entry = new PollFd { Fd = fd, Events = PollIn };
        var n = poll(ref entry, 1, timeoutMs);
        return n > 0 || (n < 0 && Marshal.GetLastPInvokeError() != Interrupted);
    }

    /// <summary>
    /// Arms the process's real-time interval timer (setitimer ITIMER_REAL: SIGALRM after <paramref name="microseconds"/>,
    /// once); 0 disarms it. False with <paramref name="error"/> (errno) when the kernel refused.
    /// </summary>
    public static bool SetRealTimer(long microseconds, out int error)
    {
        var value = new IntervalTimer { ValueSeconds = microseconds / 1_000_000, ValueMicroseconds = microseconds % 1_000_000 };
        var set = setitimer(ItimerReal, in value, 0) == 0;
        error = set ? 0 : Marshal.GetLastPInvokeError();
        return set;
    }

    /// <summary>
    /// Whether the native constructor (src/Plugin/native/early-sigterm.c) recorded a SIGTERM that came before the
    /// runtime handled it; false in a build without it.
    /// </summary>
    public static bool EarlyTerminationRecorded()
    {
        try
        {
            return duplicity_checks_early_sigterm() != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not linked in: a JIT build (the unit tests), where the runtime starts before any code runs
        }
    }
}
