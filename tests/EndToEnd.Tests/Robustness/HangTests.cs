using System.Diagnostics;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// A collection-status that never ends is killed with everything it started: a stand-in that ignores SIGTERM and
/// starts children three ways (plain background, setsid, double fork re-parented away from it), and a real
/// duplicity that would prompt for a password on a pseudo-terminal (it has none: its own session). UNKNOWN names the stage; afterwards /proc shows
/// none of them (a zombie counts as gone only if it is not ours to reap: we check for any process at all).
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
public class HangTests
{
    private static string StandIn(TempDir dir, string marker)
    {
        var sleeper = Path.Combine(dir.Path, $"sleep-{marker}");
        File.Copy("/bin/sleep", sleeper);
        File.SetUnixFileMode(sleeper, (UnixFileMode)0b111_101_101);
        return dir.Script("duplicity", $"""
            #!/bin/sh
            trap '' TERM
            ( {sleeper} 300 & )
            /usr/bin/setsid {sleeper} 301 &
            {sleeper} 302 &
            while :; do /bin/sleep 1; done
            """.Replace("\r", ""));
    }

    private static void NothingLeft(string marker)
    {
        // The kill is SIGKILL, so the processes are gone at once; a moment for the kernel to finish the exits.
        DuplicityLab.WaitFor(() => ProcessTable.CommandLinesContaining(marker).Count == 0 && !Zombies(marker), $"no process of {marker} left", 5);
    }

    private static bool Zombies(string marker) => ProcessTable.Pids().Any(p =>
    {
        try { return File.ReadAllText($"/proc/{p}/stat").Contains($"(sleep-{marker}"[..15], StringComparison.Ordinal); }
        catch (IOException) { return false; }
    });

    [Test]
    public void A_stand_in_that_ignores_SIGTERM_and_forks_is_killed_whole_at_the_timeout()
    {
        using var dir = new TempDir();
        var marker = $"h{Guid.NewGuid():N}"[..12];
        var fake = StandIn(dir, marker);
        var clock = Stopwatch.StartNew();
        var r = Checks.Run(Checks.Freshness, ["-d", "file:///srv/none", "--duplicity", fake, "-t", "2"]);
        TestContext.Progress.WriteLine($"stand-in with -t 2: the check ended after {clock.Elapsed.TotalSeconds:0.00} s");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Be("DUPLICITY FRESHNESS UNKNOWN - timed out after 2 s waiting for duplicity collection-status");
        NothingLeft(marker);
    }

    [Test]
    public void A_stand_in_that_ignores_SIGTERM_is_killed_whole_when_the_check_gets_SIGTERM()
    {
        using var dir = new TempDir();
        var marker = $"t{Guid.NewGuid():N}"[..12];
        var fake = StandIn(dir, marker);
        using var check = BackgroundRun.Start(RepoPaths.Executable(Checks.Freshness), ["-d", "file:///srv/none", "--duplicity", fake, "-t", "60"]);
        DuplicityLab.WaitFor(() => ProcessTable.CommandLinesContaining(marker).Count >= 3, "the stand-in's children", 20);
        ProcessTable.Signal(check.ProcessId, 15);
        var result = check.Wait(20);
        result.ExitCode.Should().Be(3);
        check.Stderr.Should().BeEmpty();
        check.Stdout.Split('\n')[0].Should().Be("DUPLICITY FRESHNESS UNKNOWN - terminated by SIGTERM waiting for duplicity collection-status");
        NothingLeft(marker);
    }

    /// <summary>
    /// duplicity runs in a session of its own (setsid), without a controlling terminal, so even a check started on a
    /// terminal never leaves it waiting at a password prompt: getpass falls back to the closed stdin and fails at once.
    /// </summary>
    [Test]
    public void A_real_duplicity_that_would_prompt_on_the_terminal_fails_at_once_without_one()
    {
        // imap:// without IMAP_PASSWORD: duplicity asks "Enter account password:" with getpass, which reads the
        // controlling terminal, not stdin. python3's pty.spawn gives the check a terminal; duplicity, in its own session, has none.
        using var dir = new TempDir();
        var runner = dir.File("ptyrun.py", "import os, pty, sys\nsys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))\n");
        var marker = $"imap://m{Guid.NewGuid():N}"[..20] + "@127.0.0.1/INBOX";
        var env = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = dir.Path, ["IMAP_PASSWORD"] = null };
        var clock = Stopwatch.StartNew();
        var r = ProcessRun.Run("/usr/bin/python3", [runner, RepoPaths.Executable(Checks.Freshness), "-d", marker, "-t", "3"], env, TimeSpan.FromSeconds(60));
        TestContext.Progress.WriteLine($"duplicity at a prompt with -t 3: the check ended after {clock.Elapsed.TotalSeconds:0.00} s");
        r.Stdout.Should().NotContain("Enter account password:", "duplicity had no terminal to prompt on");
        r.Stdout.Should().Contain("DUPLICITY FRESHNESS UNKNOWN - duplicity collection-status failed (exit 30): duplicity asked for a password, and a check has no terminal to type it on");
        r.ExitCode.Should().Be(3);
        NothingLeft(marker);
    }
}
