using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Waits for a child process to exit, and only for that: a pidfd (pidfd_open, Linux 5.3) becomes readable when the
/// process exits, whatever became of its output pipes. CliWrap's own task ends only at end of file of both pipes.
/// </summary>
internal static class ProcessExit
{
    private const int PollSliceMs = 50;

    /// <summary>Completes when <paramref name="pid"/> has exited (also when it was already reaped).</summary>
    public static Task WaitAsync(int pid, CancellationToken cancellation)
    {
        var fd = ProcessCalls.OpenPidFd(pid, out var error);
        if (fd < 0)
            return error == ProcessCalls.NoSuchProcess ? Task.CompletedTask : PollProcAsync(pid, cancellation);
        return Task.Run(() =>
        {
            try
            {
                while (!cancellation.IsCancellationRequested)
                    if (ProcessCalls.WaitReadable(fd, PollSliceMs)) return;
                cancellation.ThrowIfCancellationRequested();
            }
            finally
            {
                DirectoryCalls.Close(fd);
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
}
