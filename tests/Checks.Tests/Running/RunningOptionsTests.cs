using DuplicityChecks.Checks.Running;
using DuplicityChecks.Checks.Tests.Options;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;
using DuplicityChecks.TestSupport;
using D = DuplicityChecks.Checks.Running.RunningOptions.Declared;

namespace DuplicityChecks.Checks.Tests.Running;

public class RunningOptionsTests : OptionTableTests<RunningOptions, RunningOptionsTests>, IOptionTable<RunningOptions>
{
    private static RunningOptions From(params string[] args) => RunningOptions.From(CommandLine.Parse(args, RunningOptions.Specs));

    public static RunningOptions From(OptionValues values) => RunningOptions.From(values);

    private static ThresholdRange Above(double value) => new(0, value, false);

    /// <summary>Only the filter's options come from a job (destination, archive_dir, name, user): the rows say so.</summary>
    public static IReadOnlyList<OptionRow<RunningOptions>> Rows { get; } =
    [
        new(D.Job, "assets", o => o.JobName, "assets", null),
        new(D.Destination, "rsync://h/x", o => o.Filter.Destination, "rsync://h/x", null, "-x", "--destination: '-x' begins with '-'*", NoneIsAValue: true),
        new(D.ArchiveDir, "/c", o => o.Filter.ArchiveDir, "/c", null),
        new(D.BackupName, "n", o => o.Filter.Name, "n", null),
        new(D.User, "backup", o => o.Filter.User, "backup", null),
        new(D.Match, "assets", o => o.Filter.Match?.ToString(), "assets", null, "(unclosed", "--match: '(unclosed' is not a valid regular expression*", NoneIsAValue: true),
        new(D.ProcRoot, "/tmp/proc", o => (o.ProcRoot, o.ProcRootGiven), ("/tmp/proc", true), ("/proc", false)),
        new(D.PsFile, "/tmp/ps.txt", o => o.PsFile, "/tmp/ps.txt", null),
        new(D.WaitingState, "critical", o => o.WaitingState, ServiceState.Critical, ServiceState.Warning, "bad", "--waiting-state: 'bad' is not a state (ok, warning, critical, unknown)"),
        new(D.Warning, "15m", o => o.Elapsed.Warning, Above(900), Above(43200), "12x", "--warning: '12x' is not a range ([@][start:][end])"),
        new(D.Critical, "2d", o => o.Elapsed.Critical, Above(172800), Above(86400), "2d:1d", "--critical: '2d:1d': start is greater than end"),
        new(D.CountWarning, "0:2", o => o.Count.Warning, Above(2), Above(1), "x", "--count-warning: 'x' is not a range ([@][start:][end])"),
        new(D.CountCritical, "5", o => o.Count.Critical, Above(5), null, "5:1", "--count-critical: '5:1': start is greater than end"),
        new(D.Expect, "RUNNING", o => o.Expect, ExpectMode.Running, ExpectMode.Any, "sometimes", "--expect: 'sometimes' is not running, stopped or any"),
    ];

    public static IReadOnlyList<OptionSpec> Specs => RunningOptions.Specs;

    public static IReadOnlyList<string> WithoutRow => ["config"];

    [Test]
    public void A_job_destination_that_begins_with_a_dash_is_a_usage_error_naming_the_job()
        => FluentActions.Invoking(() => Read([], new Dictionary<string, string> { ["destination"] = "--version" }))
            .Should().Throw<UsageException>().WithMessage("destination of [job:t]: '--version' begins with '-', which duplicity would read as an option; give the target URL (scheme://...)");

    [Test]
    public void Defaults_are_12h_24h_count_0_1_expect_any_waiting_warning()
    {
        var o = From();

        o.Elapsed.Should().Be(new Threshold(new ThresholdRange(0, 43200, false), new ThresholdRange(0, 86400, false)));
        o.Count.Should().Be(new Threshold(new ThresholdRange(0, 1, false), null));
        o.Expect.Should().Be(ExpectMode.Any);
        o.WaitingState.Should().Be(ServiceState.Warning);
        o.ProcRoot.Should().Be("/proc");
        o.Filter.IsEmpty.Should().BeTrue();
    }

    [Test]
    public void Short_and_long_filter_options_fill_the_filter()
    {
        var o = From("-d", "rsync://h/x", "-A", "/c", "-N", "n", "-u", "backup", "-m", "assets");

        o.Filter.Should().BeEquivalentTo(new { Destination = "rsync://h/x", ArchiveDir = "/c", Name = "n", User = "backup" });
        o.Filter.Match!.Options.Should().HaveFlag(System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        o.Filter.Match.MatchTimeout.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Test]
    public void Command_line_options_override_the_job()
    {
        var job = new JobConfig("assets", "/etc/duplicity-checks.ini", new Dictionary<string, string> { ["destination"] = "rsync://h/assets", ["archive_dir"] = "/data/cache", ["user"] = "govuk-backup" });

        var o = RunningOptions.From(CommandLine.Parse(["-j", "assets", "-u", "root"], RunningOptions.Specs), job);

        o.JobName.Should().Be("assets");
        o.Filter.Destination.Should().Be("rsync://h/assets");
        o.Filter.ArchiveDir.Should().Be("/data/cache");
        o.Filter.User.Should().Be("root");
    }

    [Test]
    public void A_user_name_that_the_user_database_does_not_hold_is_unknown_for_the_proc_table()
    {
        using var dir = new TempDir();
        var passwd = dir.File("passwd", "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0:second name:/root:/bin/sh\n");
        var users = new UserDirectory(passwd);
        var now = DateTimeOffset.UnixEpoch;

        // A directory-service user (or a typo) would match no process: "no duplicity process" would be a false OK.
        FluentActions.Invoking(() => From("-u", "ldap-backup").Open(now, users)).Should().Throw<CheckException>()
            .WithMessage($"--user ldap-backup: no such user in {passwd}");
        var (source, filter) = From("-u", "toor").Open(now, users);
        source.Should().BeOfType<ProcProcessSource>();
        filter.Should().BeEquivalentTo(new { User = "toor", UserId = 0 }, "processes are compared by uid: a second name matches too");
        From("-u", "4711").Open(now, users).Filter.UserId.Should().BeNull("a uid is compared as given");
        From().Open(now, users).Filter.IsEmpty.Should().BeTrue();

        // A ps capture names users itself (ps resolved them), so the name is compared as it is.
        var ps = dir.File("ps.txt", "    PID    PPID USER     STARTED                   ELAPSED COMMAND\n      1       0 root     Thu Nov 26 10:34:12 2026      10 /sbin/init\n");
        From("-u", "ldap-backup", "--ps-file", ps).Open(now, users).Filter.UserId.Should().BeNull();
    }

    [Test]
    public void A_running_filter_by_an_nss_only_name_matches_its_uid()
    {
        using var user = new NameServiceOnlyUser();
        var options = RunningOptions.From(CommandLine.Parse(["-u", user.Name], RunningOptions.Specs));

        var (_, filter) = options.Open(DateTimeOffset.UtcNow);

        filter.UserId.Should().Be(user.Uid, "before, /etc/passwd was read and the name was UNKNOWN");
        FluentActions.Invoking(() => RunningOptions.From(CommandLine.Parse(["-u", user.Name + "x"], RunningOptions.Specs)).Open(DateTimeOffset.UtcNow))
            .Should().Throw<CheckException>().WithMessage($"--user {user.Name}x: no such user in the user database (NSS)");
    }
}
