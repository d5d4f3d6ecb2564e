using System.Text;
using System.Text.RegularExpressions;
using DuplicityChecks.EndToEnd.Tests.Robustness;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Log;

/// <summary>
/// The published check_duplicity_log --scope new against a log that a writer appends to while checks are killed
/// at random moments, a backup still being written, a log rewritten in place, a log another process holds an
/// exclusive flock on, and an empty log (issue 15, items 4, 5, 6 and 9).
/// </summary>
[Category("EndToEnd")]
public partial class ScopeNewRobustnessTests
{
    private const string Now = "1795700000";

    private static string Fixture(string relative) => File.ReadAllText(Path.Combine(RepoPaths.Fixtures, relative));

    private static string Success => Fixture("duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/stdout.txt");

    private static string[] ScopeNew(string log, string state, params string[] extra) => ["-l", log, "--scope", "new", "--state-file", state, "--now", Now, .. extra];

    [GeneratedRegex(@"log_critical: [^\n]*?(?: \((\d+) times\))?\n\s*\\_ \[CRITICAL\] > FAILURE-(\d{6}) ")]
    private static partial Regex Reported();

    /// <summary>
    /// A writer appends numbered failure lines (each written in two parts, so checks see half-written lines)
    /// while checks run and are killed (SIGKILL or SIGTERM) after a random delay. Every line must be reported
    /// by some check; a line may be reported twice only when the check that reported it first was killed after
    /// its output (it could not commit).
    /// </summary>
    [Test]
    public void Killed_at_any_moment_no_failure_line_is_lost()
    {
        using var dir = new TempDir();
        var log = dir.File("job.log", Success);
        var state = Path.Combine(dir.Path, "state", "log.state");
        Checks.Run(Checks.Log, ScopeNew(log, state)).ExitCode.Should().Be(0);

        var written = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            var rng = new Random(7);
            using var f = new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            while (!stop.IsCancellationRequested)
            {
                var line = Encoding.ASCII.GetBytes($"FAILURE-{written + 1:D6} the job's step failed\n");
                var cut = rng.Next(1, line.Length);
                f.Write(line, 0, cut);
                f.Flush();
                Thread.Sleep(rng.Next(0, 3));
                f.Write(line, cut, line.Length - cut);
                f.Flush();
                Interlocked.Increment(ref written);
                Thread.Sleep(rng.Next(0, 4));
            }
        });

        var rng = new Random(42);
        var reports = new List<(int First, int Count, bool Killed)>();
        int runs = 0, kills = 0, sigkills = 0, sigterms = 0;
        const int iterations = 300;
        for (var i = 0; i < iterations; i++)
        {
            using var check = BackgroundRun.Start(RepoPaths.Executable(Checks.Log), ScopeNew(log, state, "--log-critical", "FAILURE-[0-9]+", "-v"));
            Thread.Sleep(rng.Next(0, 20)); // a check takes 10-30 ms: most kills land while it runs
            var killed = false;
            if (!check.HasExited)
            {
                var signal = rng.Next(2) == 0 ? 9 : 15;
                ProcessTable.Signal(check.ProcessId, signal);
                killed = true;
                kills++;
                if (signal == 9) sigkills++; else sigterms++;
            }
            check.Wait(30);
            runs++;
            check.Stderr.Should().BeEmpty();
            foreach (Match m in Reported().Matches(check.Stdout))
                reports.Add((int.Parse(m.Groups[2].Value), m.Groups[1].Success ? int.Parse(m.Groups[1].Value) : 1, killed));
        }
        stop.Cancel();
        writer.Wait();
        // Drain: a normal check reads what is left.
        var last = Checks.Run(Checks.Log, ScopeNew(log, state, "--log-critical", "FAILURE-[0-9]+", "-v"));
        foreach (Match m in Reported().Matches(last.Stdout))
            reports.Add((int.Parse(m.Groups[2].Value), m.Groups[1].Success ? int.Parse(m.Groups[1].Value) : 1, false));

        var timesSeen = new int[written + 1];
        var seenByKilled = new bool[written + 1];
        foreach (var (first, count, killed) in reports)
            for (var n = first; n < first + count && n <= written; n++)
            {
                timesSeen[n]++;
                if (killed) seenByKilled[n] = true;
            }
        var lost = Enumerable.Range(1, written).Count(n => timesSeen[n] == 0);
        var repeated = Enumerable.Range(1, written).Count(n => timesSeen[n] > 1);
        var unexplained = Enumerable.Range(1, written).Count(n => timesSeen[n] > 1 && !seenByKilled[n]);
        TestContext.Progress.WriteLine($"kill loop: {runs} runs, {kills} killed ({sigkills} SIGKILL, {sigterms} SIGTERM), "
            + $"{written} lines written, {lost} lost, {repeated} repeated ({unexplained} not after a killed check's output)");
        kills.Should().BeGreaterThan(30, "the kills must land while checks run");
        lost.Should().Be(0);
        unexplained.Should().Be(0);
        Directory.GetFiles(Path.GetDirectoryName(state)!, "*.tmp*").Length.Should().BeLessThanOrEqualTo(sigkills,
            "a temporary file can only be left by a SIGKILL during the commit");
    }

    /// <summary>
    /// Checks run while a backup's lines are appended one by one (the concurrent case): never UNKNOWN
    /// "no duplicity run found", in progress until the statistics arrive, then the run's verdict once.
    /// </summary>
    [Test]
    public void Checks_while_a_backup_is_written_say_in_progress_then_the_result_once()
    {
        using var dir = new TempDir();
        var log = dir.File("job.log", Success);
        var state = Path.Combine(dir.Path, "state", "log.state");
        Checks.Run(Checks.Log, ScopeNew(log, state)).ExitCode.Should().Be(0);
        var lines = Fixture("duplicity-0.8.22/full-plus-incrementals/03-backup-inc-2/stdout.txt").Split('\n');
        var outcomes = new List<string>();
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            File.AppendAllText(log, line + "\n");
            var r = Checks.Run(Checks.Log, ScopeNew(log, state));
            outcomes.Add(r.FirstLine);
            r.ExitCode.Should().Be(0, r.Stdout);
        }
        outcomes.Should().NotContain(o => o.Contains("no duplicity run found"));
        outcomes.Take(3).Should().OnlyContain(o => o.StartsWith("DUPLICITY LOG OK - backup in progress since 2026-11-26 13:33:20 UTC", StringComparison.Ordinal));
        outcomes.Count(o => o.Contains("new output: 1 run, no failures")).Should().Be(1, string.Join("\n", outcomes));
    }

    [Test]
    public void A_log_rewritten_in_place_with_the_same_start_is_read_again()
    {
        using var dir = new TempDir();
        var header = "=== nightly backup of /srv (wrapper v2) ===" + new string(' ', 256) + "\n";
        var log = dir.File("job.log", header + Success);
        var state = Path.Combine(dir.Path, "state", "log.state");
        Checks.Run(Checks.Log, ScopeNew(log, state)).ExitCode.Should().Be(0);
        // The wrapper rewrites the log in place (truncate, write): same first 256 bytes, longer than the offset.
        var failed = Fixture("duplicity-0.8.22/destination-full-enospc/01-backup-destination-full/stdout.txt")
            + Fixture("duplicity-0.8.22/destination-full-enospc/01-backup-destination-full/stderr.txt");
        using (var f = new FileStream(log, FileMode.Open, FileAccess.Write))
        {
            f.SetLength(0);
            f.Write(Encoding.UTF8.GetBytes(header + failed + new string('#', Success.Length) + "\n"));
        }
        var r = Checks.Run(Checks.Log, ScopeNew(log, state));
        r.ExitCode.Should().Be(2, r.Stdout);
        r.FirstLine.Should().Contain("destination is full").And.Contain($"{log} was rewritten in place");
    }

    [Test]
    public void A_log_locked_by_the_backup_wrapper_is_read_in_every_scope()
    {
        using var dir = new TempDir();
        var log = dir.File("job.log", Success);
        var state = Path.Combine(dir.Path, "state", "log.state");
        // flock(1) holds LOCK_EX on the log for as long as its command runs, as a wrapper does around a job.
        using var holder = BackgroundRun.Start("/usr/bin/flock", ["--exclusive", log, "/bin/sleep", "60"]);
        DuplicityLab.WaitFor(() => File.ReadAllText("/proc/locks").Contains("FLOCK  ADVISORY  WRITE"), "flock holds the log", 20);
        foreach (var scope in new[] { "last-run", "new", "all" })
        {
            var r = Checks.Run(Checks.Log, ["-l", log, "--scope", scope, "--state-file", state, "--now", Now]);
            r.FirstLine.Should().StartWith("DUPLICITY LOG OK - ", scope);
            r.Stdout.Should().NotContain("being used by another process");
        }
    }

    [Test]
    public void A_log_locked_by_root_is_read_by_an_unprivileged_check()
    {
        if (Environment.UserName != "root") Assert.Ignore("the lock holder runs as root, the check as nobody");
        using var dir = new TempDir();
        var log = dir.File("job.log", Success);
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(log, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var holder = BackgroundRun.Start("/usr/bin/flock", ["--exclusive", log, "/bin/sleep", "60"]);
        DuplicityLab.WaitFor(() => File.ReadAllText("/proc/locks").Contains("FLOCK  ADVISORY  WRITE"), "flock holds the log", 20);
        var r = Checks.RunAsNobody(Checks.Log, "-l", log, "--now", Now);
        r.FirstLine.Should().StartWith("DUPLICITY LOG OK - last backup succeeded");
    }

    [Test]
    public void An_empty_log_on_the_first_run_is_unknown_and_leaves_no_file()
    {
        using var dir = new TempDir();
        var log = dir.File("job.log", "");
        var states = Path.Combine(dir.Path, "state");
        var state = Path.Combine(states, "log.state");
        for (var i = 0; i < 2; i++)
        {
            var r = Checks.Run(Checks.Log, ScopeNew(log, state));
            r.ExitCode.Should().Be(3);
            r.FirstLine.Should().Be($"DUPLICITY LOG UNKNOWN - log {log} is empty: no run yet");
        }
        Directory.GetFiles(states).Should().OnlyContain(f => f.EndsWith(".lock", StringComparison.Ordinal));
        File.AppendAllText(log, Success);
        Checks.Run(Checks.Log, ScopeNew(log, state)).FirstLine.Should().StartWith("DUPLICITY LOG OK - new output: 1 run, no failures");
    }
}
