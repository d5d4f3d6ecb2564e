using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// Issue 15 item 10: a destination that begins with '-' reached duplicity as an option (a live run's argv ended
/// "--version"). Every check refuses it as a usage error, from the command line or from a job file, and the values
/// a live run passes to the real duplicity are taken as values.
/// </summary>
[Category("EndToEnd")]
public class OptionLikeValueTests
{
    private static readonly string[] AllChecks = [Checks.Freshness, Checks.Log, Checks.Running];

    /// <summary>What each check needs besides the destination to get as far as using it.</summary>
    private static string[] Rest(string check) => check switch
    {
        Checks.Log => ["-l", "/dev/null"],
        Checks.Running => ["--ps-file", "/dev/null"],
        _ => [],
    };

    [Test]
    public void A_destination_that_begins_with_a_dash_is_a_usage_error_in_every_check()
    {
        using var dir = TempDir.InTrustedFolder();
        var ini = dir.File("jobs.ini", "[job:j]\ndestination = --version\n");
        var cases = 0;
        foreach (var check in AllChecks)
            foreach (var source in new[] { new[] { "-d", "-x" }, ["--destination=--version"], ["-j", "j", "--config", ini] })
            {
                var r = Checks.Run(check, [.. source, .. Rest(check)]);
                var what = $"{check} {string.Join(' ', source)}";
                r.ExitCode.Should().Be(3, what);
                r.FirstLine.Should().MatchRegex(@"^DUPLICITY [A-Z]+ UNKNOWN - usage error: (--destination|destination of \[job:j\]): '-[-a-z]+' begins with '-'", what);
                cases++;
            }
        cases.Should().Be(9);
    }

    [Test]
    public void No_value_a_live_run_passes_can_be_read_as_an_option()
    {
        using var dir = TempDir.InTrustedFolder();
        var argv = Path.Combine(dir.Path, "argv");
        // Records its arguments one a line, then fails: the check's verdict does not matter here.
        var fake = dir.Script("duplicity", $"#!/bin/sh\nfor a; do printf '%s\\n' \"$a\"; done > {argv}\nexit 1\n");
        var r = Checks.Run(Checks.Freshness, ["-d", "file:///srv/b", "-N", "--version", "--duplicity", fake]);
        r.ExitCode.Should().Be(3, r.Stdout);
        var words = File.ReadAllLines(argv);
        words.Should().Contain("--name=--version").And.NotContain("--version");
        words[^1].Should().Be("file:///srv/b");
        // Every word but the last is the action or one option with its value in the same word.
        words[0].Should().Be("collection-status");
        words[1..^1].Should().OnlyContain(w => w.StartsWith("--", StringComparison.Ordinal) && w.Contains('='));
    }

    [Test]
    [Category("RealComponent")]
    [NonParallelizable]
    public void The_real_duplicity_takes_a_backup_name_that_looks_like_an_option_as_the_name()
    {
        using var lab = new DuplicityLab();
        lab.Full().ExitCode.Should().Be(0);
        var r = ProcessRun.Run(RepoPaths.Executable(Checks.Freshness), ["-d", lab.Target, "-N", "--version", "-vv"],
            new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = lab.XdgCacheHome }, TimeSpan.FromMinutes(2));
        r.Stderr.Should().BeEmpty();
        // Passed as two words, "--version" made duplicity print its version and write no machine log (UNKNOWN).
        r.ExitCode.Should().Be(0, r.Stdout);
        r.FirstLine.Should().StartWith("DUPLICITY FRESHNESS OK - last backup ");
        Directory.Exists(Path.Combine(lab.ArchiveDir, "--version")).Should().BeTrue("duplicity used '--version' as the backup name");
    }
}
