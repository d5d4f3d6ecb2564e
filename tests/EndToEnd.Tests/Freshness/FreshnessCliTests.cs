using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Freshness;

/// <summary>The plugin contract through the published executable: help, usage errors, timeout, SIGTERM.</summary>
[Category("EndToEnd")]
public class FreshnessCliTests
{
    private const string Check = "check_duplicity_freshness";

    [Test]
    public void Help_exits_3_within_80_columns()
    {
        var run = ProcessRun.Check(Check, "--help");
        run.ExitCode.Should().Be(3);
        run.Stderr.Should().BeEmpty();
        run.FirstLine.Should().StartWith("check_duplicity_freshness version ");
        run.Stdout.Should().Contain("--archive-dir").And.Contain("--full-warning").And.Contain("--sudo-user");
        run.Stdout.Split('\n').Should().AllSatisfy(l => l.Length.Should().BeLessThanOrEqualTo(80));
    }

    [Test]
    public void Version_exits_3() => ProcessRun.Check(Check, "-V").Should().Match<ProcessOutcome>(r => r.ExitCode == 3 && r.Stdout.StartsWith("check_duplicity_freshness version "));

    [TestCase("--bogus", "DUPLICITY FRESHNESS UNKNOWN - usage error: unknown option --bogus")]
    [TestCase("-w", "DUPLICITY FRESHNESS UNKNOWN - usage error: option -w needs a value (RANGE)")]
    [TestCase("-s /x -w 20:10", "DUPLICITY FRESHNESS UNKNOWN - usage error: --warning: '20:10': start is greater than end")]
    [TestCase("-s /x --incomplete-state maybe", "DUPLICITY FRESHNESS UNKNOWN - usage error: --incomplete-state: 'maybe' is not one of ok, warning, critical")]
    [TestCase("-d file:///x --duplicity duplicity", "DUPLICITY FRESHNESS UNKNOWN - usage error: --duplicity: 'duplicity' must be an absolute path (programs are never looked up in PATH)")]
    [TestCase("-s /x --now yesterday", "DUPLICITY FRESHNESS UNKNOWN - usage error: --now: 'yesterday' is neither epoch seconds nor ISO 8601 (2026-11-26T10:00:00Z)")]
    [TestCase("-s /x -t 0", "DUPLICITY FRESHNESS UNKNOWN - usage error: --timeout: 0 must be more than 0 s and at most 1 d")]
    [TestCase("-s /x -t 2d", "DUPLICITY FRESHNESS UNKNOWN - usage error: --timeout: 2d must be more than 0 s and at most 1 d")]
    [TestCase("-A /x --listing-cache cache", "DUPLICITY FRESHNESS UNKNOWN - usage error: --listing-cache: 'cache' must be an absolute path or 'off'")]
    [TestCase("", "DUPLICITY FRESHNESS UNKNOWN - usage error: give --archive-dir, --status-file or --destination (or a --job that sets them)")]
    public void Usage_errors_are_unknown_with_a_short_usage(string args, string first)
    {
        var run = ProcessRun.Check(Check, args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        run.ExitCode.Should().Be(3);
        run.Stderr.Should().BeEmpty();
        run.FirstLine.Should().Be(first);
        run.Stdout.Should().Contain("Usage: check_duplicity_freshness");
    }

    [Test]
    public void Missing_status_file_is_unknown_naming_it()
    {
        var run = ProcessRun.Check(Check, "-s", "/nonexistent/status.txt");
        run.ExitCode.Should().Be(3);
        run.Stderr.Should().BeEmpty();
        run.FirstLine.Should().StartWith("DUPLICITY FRESHNESS UNKNOWN - ").And.Contain("/nonexistent/status.txt");
    }

    [Test]
    public void A_duplicity_that_hangs_is_killed_at_the_timeout_with_its_children()
    {
        using var dir = new TempDir();
        var marker = $"hang-{Guid.NewGuid():N}";
        var fake = dir.Script("duplicity", $"#!/bin/sh\n/bin/sleep 300 & /bin/sleep 301 # {marker}\n");
        var started = DateTime.UtcNow;
        var run = ProcessRun.Check(Check, "-d", "file:///srv/none", "--duplicity", fake, "-t", "2");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(20), "the check must not wait for duplicity");
        run.ExitCode.Should().Be(3);
        run.Stderr.Should().BeEmpty();
        run.FirstLine.Should().Be("DUPLICITY FRESHNESS UNKNOWN - timed out after 2 s waiting for duplicity collection-status");
        ProcessTable.CommandLinesContaining(marker).Should().BeEmpty("the whole process tree is killed");
    }

    [Test]
    public void Sigterm_is_unknown_naming_the_stage()
    {
        using var dir = new TempDir();
        var fake = dir.Script("duplicity", "#!/bin/sh\nexec /bin/sleep 300\n");
        using var check = BackgroundRun.Start(RepoPaths.Executable(Check), ["-d", "file:///srv/none", "--duplicity", fake, "-t", "60"]);
        DuplicityLab.WaitFor(() => ProcessTable.ChildrenOf(check.ProcessId).Any(), "the fake duplicity to start", 20);
        ProcessTable.Signal(check.ProcessId, 15);
        var result = check.Wait(20);
        result.ExitCode.Should().Be(3);
        check.Stderr.Should().BeEmpty();
        check.Stdout.Split('\n')[0].Should().Be("DUPLICITY FRESHNESS UNKNOWN - terminated by SIGTERM waiting for duplicity collection-status");
    }
}
