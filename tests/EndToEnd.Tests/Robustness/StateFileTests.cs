using CliWrap;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// check_duplicity_log --scope new keeps its position in a state file. Killed (SIGKILL) at random moments while it
/// runs, the file is never corrupt and never lost; 20 checks at once on one state file agree; a full disk while
/// writing keeps the previous state and the check says why.
/// </summary>
[Category("EndToEnd")]
public class StateFileTests
{
    private const string Now = "1795700000";
    private static string Success => File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/stdout.txt"));

    private static void Valid(string stateFile, string what)
    {
        var lines = File.ReadAllText(stateFile).Split('\n');
        lines[0].Should().Be("# duplicity-checks state v1", what);
        lines.Should().Contain("# end", what);
    }

    [Test]
    public void Killed_at_random_moments_the_state_file_is_never_corrupt_nor_lost()
    {
        using var dir = new TempDir();
        var log = dir.File("job.log", Success);
        var state = Path.Combine(dir.Path, "state", "log.state");
        var rng = new Random(42);
        var killedWhileRunning = 0;
        const int iterations = 150;
        for (var i = 0; i < iterations; i++)
        {
            File.AppendAllText(log, Success);
            using var cts = new CancellationTokenSource();
            var task = Cli.Wrap(RepoPaths.Executable(Checks.Log)).WithArguments(["-l", log, "--scope", "new", "--state-file", state, "--now", Now])
                .WithValidation(CommandResultValidation.None).ExecuteAsync(cts.Token);
            Thread.Sleep(rng.Next(0, 40));
            if (!task.Task.IsCompleted)
            {
                ProcessTable.Signal(task.ProcessId, 9);
                killedWhileRunning++;
            }
            try { task.Task.Wait(TimeSpan.FromSeconds(20)); } catch (AggregateException) { }
            if (i > 0 || File.Exists(state)) Valid(state, $"iteration {i}");
        }
        TestContext.Progress.WriteLine($"state file: {iterations} iterations, {killedWhileRunning} killed while running");
        killedWhileRunning.Should().BeGreaterThan(10, "the kills must land while the check runs");
        // After all that, a normal run reads only what is new: nothing, and reports it without a state problem.
        var r = Checks.Run(Checks.Log, ["-l", log, "--scope", "new", "--state-file", state, "--now", Now, "-v"]);
        r.Stdout.Should().NotContain("state file").And.NotContain("rebuilt");
        Valid(state, "after the last run");
    }

    [Test]
    public void Twenty_checks_at_once_on_one_state_file_agree()
    {
        using var dir = new TempDir();
        var log = dir.File("job.log", Success);
        var state = Path.Combine(dir.Path, "log.state");
        Checks.Run(Checks.Log, ["-l", log, "--scope", "new", "--state-file", state, "--now", Now]);
        File.AppendAllText(log, Success);
        var runs = Enumerable.Range(0, 20).Select(_ => Task.Run(() => Checks.Run(Checks.Log, ["-l", log, "--scope", "new", "--state-file", state, "--now", Now, "-v"]))).ToArray();
        Task.WaitAll(runs);
        var outcomes = runs.Select(t => t.Result).ToList();
        outcomes.Should().OnlyContain(o => o.ExitCode == 0 || o.Stdout.Contains("locked by another check"), "each check either takes its turn or says the state is locked");
        outcomes.Count(o => o.Stdout.Contains("new output: 1 run", StringComparison.Ordinal)).Should().Be(1,
            "the appended run is read by one check only; the others find nothing new: " + string.Join(" | ", outcomes.Select(o => o.FirstLine)));
        Valid(state, "after 20 concurrent checks");
    }

    [Test]
    [Category("RealComponent")]
    public void A_full_disk_keeps_the_previous_state_and_the_check_says_why()
    {
        if (Environment.UserName != "root") Assert.Ignore("mounting a tmpfs needs root");
        using var dir = new TempDir();
        var mount = Directory.CreateDirectory(Path.Combine(dir.Path, "small")).FullName;
        ProcessRun.Run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount]).ExitCode.Should().Be(0);
        try
        {
            var log = dir.File("job.log", Success);
            var state = Path.Combine(mount, "log.state");
            Checks.Run(Checks.Log, ["-l", log, "--scope", "new", "--state-file", state, "--now", Now]).ExitCode.Should().Be(0);
            var before = File.ReadAllText(state);
            // Fill the rest of the file system.
            try
            {
                using var filler = File.OpenWrite(Path.Combine(mount, "filler"));
                var block = new byte[4096];
                while (true) { filler.Write(block); filler.Flush(); }
            }
            catch (IOException) { }
            File.AppendAllText(log, Success);
            var r = Checks.Run(Checks.Log, ["-l", log, "--scope", "new", "--state-file", state, "--now", Now]);
            r.ExitCode.Should().Be(3, r.Stdout);
            r.FirstLine.Should().Contain("cannot write state file").And.Contain(state);
            File.ReadAllText(state).Should().Be(before, "the previous state stays");
            Directory.EnumerateFiles(mount, "*.tmp-*").Should().BeEmpty("the half-written temporary file is removed");
        }
        finally
        {
            ProcessRun.Run("/usr/bin/umount", [mount]);
        }
    }
}
