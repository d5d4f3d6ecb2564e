using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CliWrap;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Running;

/// <summary>
/// Real duplicity 0.8.22 runs, found by the published check through the real /proc: a backup holding its lock,
/// and a backup stuck at the passphrase prompt on a pseudo-terminal. Everything started is killed in teardown.
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RunningLiveTests
{
    private string _dir = "";
    private LiveProcesses _processes = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "dup-running-live-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(_dir, "src"));
        Directory.CreateDirectory(Path.Combine(_dir, "home"));
        // gpg refuses a home readable by others.
        Directory.CreateDirectory(Path.Combine(_dir, "gnupg"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _processes = new LiveProcesses();
    }

    [TearDown]
    public void TearDown()
    {
        _processes.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Target => "file://" + Path.Combine(_dir, "tgt");

    private Dictionary<string, string?> Environment => new()
    {
        ["HOME"] = Path.Combine(_dir, "home"),
        ["GNUPGHOME"] = Path.Combine(_dir, "gnupg"),
        ["PASSPHRASE"] = null,
        ["TZ"] = "UTC",
        ["LANG"] = "C.UTF-8",
    };

    private static ProcessOutcome Check(params string[] args) => ProcessRun.Check("check_duplicity_running", args);

    private static string Md5(string s) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s)));

    private static void WaitFor(Func<bool> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (condition()) return;
            Thread.Sleep(100);
        }
        Assert.Fail($"gave up waiting for {what}");
    }

    [Test]
    public void A_running_backup_is_found_with_its_lock()
    {
        // About 120 MB of random data: compressing it keeps duplicity busy for seconds.
        var buffer = new byte[8 * 1024 * 1024];
        for (var i = 0; i < 15; i++)
        {
            RandomNumberGenerator.Fill(buffer);
            File.WriteAllBytes(Path.Combine(_dir, "src", $"blob{i}.bin"), buffer);
        }
        var cache = Path.Combine(_dir, "cache");
        var pid = _processes.Start(Cli.Wrap("/usr/bin/setsid")
            .WithArguments(["/usr/bin/duplicity", "full", "--no-encryption", "--volsize", "5", "--archive-dir", cache, Path.Combine(_dir, "src"), Target])
            .WithEnvironmentVariables(Environment));
        var lockFile = Path.Combine(cache, Md5(Target), "lockfile");
        // Independent of the check: the kernel's lock table shows the PID once duplicity has locked.
        WaitFor(() => File.ReadAllText("/proc/locks").Contains($" POSIX  ADVISORY  WRITE {pid} ", StringComparison.Ordinal) || _processes.HasExited(pid), "the lock");
        _processes.HasExited(pid).Should().BeFalse("the backup must still run");
        // Freeze it so that it is still there when the check looks.
        Cli.Wrap("/bin/kill").WithArguments(["-STOP", pid.ToString(CultureInfo.InvariantCulture)]).ExecuteAsync().GetAwaiter().GetResult();

        var outcome = Check("-d", Target, "-A", cache, "-v");

        outcome.FirstLine.Should().MatchRegex($@"^DUPLICITY RUNNING OK - full backup to {Regex.Escape(Target)} running for \d+s \(PID {pid}, holds the lock\)$");
        outcome.Stdout.Should().Contain($"  \\_ [OK] lock: holds the lock {lockFile}\n");
        outcome.Stdout.Should().Contain($"  \\_ [OK] archive dir {cache}, backup name {Md5(Target)}\n");
        outcome.Stdout.Should().MatchRegex(@"\| processes=1;1;;0 elapsed=[0-9.]+s;43200;86400;0\n$");
        outcome.Stderr.Should().BeEmpty();
        outcome.ExitCode.Should().Be(0);

        var other = Check("-d", Target + "-other");
        other.FirstLine.Should().StartWith($"DUPLICITY RUNNING OK - no duplicity process for {Target}-other |");
        var stopped = Check("-A", cache, "--expect", "stopped");
        stopped.ExitCode.Should().Be(2);
    }

    [Test]
    public void A_backup_at_the_passphrase_prompt_on_a_pseudo_terminal_is_waiting()
    {
        File.WriteAllText(Path.Combine(_dir, "src", "a.txt"), "hello\n");
        var cache = Path.Combine(_dir, "cache");
        var terminal = new StringBuilder();
        // script gives duplicity a pseudo-terminal; its own stdin is a pipe kept open until teardown, so it never sees EOF.
        var pid = _processes.Start(Cli.Wrap("/usr/bin/setsid")
            .WithArguments(["/usr/bin/script", "-qfc", $"/usr/bin/duplicity full --archive-dir {cache} {Path.Combine(_dir, "src")} {Target}", "/dev/null"])
            .WithEnvironmentVariables(Environment)
            .WithStandardInputPipe(PipeSource.Create(async (_, ct) => await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default)))
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(terminal)));
        WaitFor(() => { lock (terminal) return terminal.ToString().Contains("GnuPG passphrase", StringComparison.Ordinal) || _processes.HasExited(pid); }, "the passphrase prompt");
        _processes.HasExited(pid).Should().BeFalse("duplicity must sit at the prompt");

        var outcome = Check("-A", cache, "-v");

        outcome.FirstLine.Should().MatchRegex($@"^DUPLICITY RUNNING WARNING - full backup to {Regex.Escape(Target)} running for \d+s \(PID \d+, holds the lock\), waiting for terminal input \(GPG passphrase\?\)$");
        outcome.Stdout.Should().MatchRegex(@"\n  \\_ \[WARNING\] waiting for terminal input \(GPG passphrase\?\) on /dev/pts/\d+\n");
        outcome.Stdout.Should().Contain("Fix: PID ");
        outcome.Stderr.Should().BeEmpty();
        outcome.ExitCode.Should().Be(1);

        Check("-A", cache, "--waiting-state", "critical").ExitCode.Should().Be(2);
    }
}
