using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// A check stuck in a system call that no cancellation reaches (a read from a hung NFS mount; here the open of a
/// FIFO that nobody writes) still answers: at the timeout, or at SIGTERM, the runner waits its grace period and then
/// reports UNKNOWN naming the stage, and the process ends with 3. This is the path where the runner must give up on
/// the check's own thread, which no other test reaches (collection-status runs stop when cancelled).
/// </summary>
[Category("EndToEnd")]
public class BlockedReadTests
{
    private static string Fifo(TempDir dir)
    {
        var path = Path.Combine(dir.Path, "nobody-writes");
        ProcessRun.Run("/usr/bin/mkfifo", [path], null, TimeSpan.FromSeconds(10)).ExitCode.Should().Be(0);
        return path;
    }

    [Test]
    public void A_status_file_that_never_opens_is_unknown_at_the_timeout()
    {
        using var dir = new TempDir();
        var fifo = Fifo(dir);
        var r = Checks.Run(Checks.Freshness, ["-s", fifo, "-t", "1"]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - timed out after 1 s reading the collection-status file {fifo}");
    }

    [Test]
    public void A_fraction_of_a_second_is_honoured()
    {
        using var dir = new TempDir();
        var fifo = Fifo(dir);
        var r = Checks.Run(Checks.Log, ["-l", fifo, "-t", "0.3"]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be($"DUPLICITY LOG UNKNOWN - timed out after 0.3 s reading {fifo}");
    }

    [Test]
    public void A_log_that_never_opens_is_unknown_at_SIGTERM()
    {
        using var dir = new TempDir();
        var fifo = Fifo(dir);
        using var check = BackgroundRun.Start(RepoPaths.Executable(Checks.Log), ["-l", fifo, "-t", "60"]);
        // The check is blocked in open(2) once its thread sleeps in the kernel's FIFO wait.
        DuplicityLab.WaitFor(() => ProcessTable.WaitChannel(check.ProcessId) == "wait_for_partner", "the check blocked on the FIFO", 20);
        ProcessTable.Signal(check.ProcessId, 15);
        var result = check.Wait(20);
        result.ExitCode.Should().Be(3);
        check.Stderr.Should().BeEmpty();
        check.Stdout.Split('\n')[0].Should().Be($"DUPLICITY LOG UNKNOWN - terminated by SIGTERM reading {fifo}");
    }
}
