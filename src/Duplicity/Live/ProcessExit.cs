using System.Runtime.InteropServices;
using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Waits for a child process to exit, and only for that: a pidfd (pidfd_open, Linux 5.3) becomes readable when the
/// process exits, whatever became of its output pipes. CliWrap's own task ends only at end of file of both pipes.
/// </summary>
internal static partial class ProcessExit
{
    private const nint PidfdOpen = 434; // the same number on x86_64 and aarch64 (a syscall added after the tables were unified)
    private const short PollIn = 1;
    private const int NoSuchProcess = 3; // ESRCH
    private const int PollSliceMs = 50;

    /// <summary>Completes when <paramref name="pid"/> has exited (also when it was already reaped).</summary>
    public static Task WaitAsync(int pid, CancellationToken cancellation)
    {
        var fd = (int)syscall(PidfdOpen, pid, 0);
        if (fd < 0)
            return Marshal.GetLastPInvokeError() == NoSuchProcess ? Task.CompletedTask : PollProcAsync(pid, cancellation);
        return Task.Run(() =>
        {
            try
            {
                while (!cancellation.IsCancellationRequested)
                    if (PollReadable(fd)) return;
                cancellation.ThrowIfCancellationRequested();
            }
            finally
            {
                _ = close(fd);
            }
        }, CancellationToken.None);
    }

    /// <summary>Without pidfds (kernels before 5.3): until /proc shows the process gone or a zombie.</summary>
    private static async Task PollProcAsync(int pid, CancellationToken cancellation)
    {
        var stat = $"/proc/{pid}/stat";
        while (ProcStat.TryParse(ProcFiles.ReadText(stat, 4096)?.TrimEnd('\n')) is { State: not 'Z' })
            await Task.Delay(PollSliceMs, cancellation).ConfigureAwait(false);
    }

    private static bool PollReadable(int fd)
    {
        var entry = new PollFd { Fd = fd, Events = PollIn };
        var n = poll(ref entry, 1, PollSliceMs);
        return n > 0 || (n < 0 && Marshal.GetLastPInvokeError() != 4); // an error other than EINTR: stop waiting on it
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint syscall(nint number, nint pid, nint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int poll(ref PollFd fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
