using DuplicityChecks.Checks.Running;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Checks.Tests.Running;

public class RunningOptionsTests
{
    private static RunningOptions From(params string[] args) => RunningOptions.From(CommandLine.Parse(args, RunningOptions.Specs));

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
        var job = new JobValues("assets", "rsync://h/assets", "/data/cache", null, "govuk-backup");

        var o = RunningOptions.From(CommandLine.Parse(["-j", "assets", "-u", "root"], RunningOptions.Specs), job);

        o.JobName.Should().Be("assets");
        o.Filter.Destination.Should().Be("rsync://h/assets");
        o.Filter.ArchiveDir.Should().Be("/data/cache");
        o.Filter.User.Should().Be("root");
    }

    [TestCase("--match", "(unclosed", "--match: '(unclosed' is not a valid regular expression*")]
    [TestCase("--expect", "sometimes", "--expect: 'sometimes' is not running, stopped or any")]
    [TestCase("--waiting-state", "bad", "--waiting-state: 'bad' is not a state*")]
    [TestCase("-w", "12x", "--warning: *")]
    [TestCase("--count-critical", "5:1", "--count-critical: *")]
    public void Bad_values_are_usage_errors(string option, string value, string message)
        => FluentActions.Invoking(() => From(option, value)).Should().Throw<UsageException>().WithMessage(message);

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
