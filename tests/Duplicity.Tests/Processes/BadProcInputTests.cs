using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>
/// Garbage, truncated and vanishing /proc content: the scan gives the correct result or throws CheckException
/// (UNKNOWN with the reason), never anything else.
/// </summary>
public class BadProcInputTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795689256);
    private const string Duplicity = "/usr/bin/python3\0/usr/bin/duplicity\0full\0/srv/src\0file:///var/backups/t\0";
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = ProcFixtures.TempDir();
        File.WriteAllText(Path.Combine(_root, "stat"), "cpu 1 2 3\nbtime 1795687443\n");
        File.WriteAllText(Path.Combine(_root, "locks"), "");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private void Process(int pid, string cmdline, int ppid = 1, string? stat = null, string? status = "Name:\tx\nUid:\t0\t0\t0\t0\n")
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, pid.ToString(CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(dir, "cmdline"), cmdline);
        File.WriteAllText(Path.Combine(dir, "stat"), stat ?? $"{pid} (x) S {ppid} {pid} {pid} 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 180909 0 0\n");
        if (status is not null) File.WriteAllText(Path.Combine(dir, "status"), status);
    }

    private DuplicityProcessScan Scan(ProcessFilter? filter = null)
        => DuplicityProcessFinder.Scan(new ProcProcessSource(_root, Now), filter ?? ProcessFilter.All, new FinderSeams { FileIdentity = _ => null });

    [Test]
    public void Garbled_stat_of_a_duplicity_is_unknown_with_the_file_named()
    {
        Process(10, Duplicity, stat: "10 (duplicity R 1 garbage");

        FluentActions.Invoking(() => Scan()).Should().Throw<CheckException>().WithMessage($"cannot parse {_root}/10/stat*");
    }

    [Test]
    public void Garbled_stat_of_an_unrelated_process_is_never_read()
    {
        Process(10, "/usr/sbin/cron\0-f\0", stat: "\0\0\0garbage");

        Scan().Instances.Should().BeEmpty();
    }

    [Test]
    public void A_process_that_exits_between_listing_and_reading_is_skipped()
    {
        Process(10, Duplicity, status: null); // status gone: it exited after its cmdline was read
        Process(11, Duplicity);

        Scan().Instances.Select(i => i.Pid).Should().Equal(11);
    }

    [Test]
    public void A_child_that_exits_mid_scan_is_skipped()
    {
        Process(10, Duplicity);
        Directory.CreateDirectory(Path.Combine(_root, "10", "task", "10"));
        File.WriteAllText(Path.Combine(_root, "10", "task", "10", "children"), "11 12 ");
        Process(12, "/usr/bin/gpg\0--symmetric\0", ppid: 10);

        Scan().Instances.Single().Children.Select(c => c.Pid).Should().Equal(12);
    }

    [Test]
    public void A_truncated_command_line_that_no_longer_names_duplicity_is_not_duplicity()
    {
        Process(10, "/usr/bin/python3\0/usr/bin/dupl");

        Scan().Instances.Should().BeEmpty();
    }

    [Test]
    public void A_command_line_without_the_final_nul_is_read_whole()
    {
        Process(10, Duplicity.TrimEnd('\0'));

        Scan().Instances.Single().Arguments.Target.Should().Be("file:///var/backups/t");
    }

    [Test]
    public void A_megabyte_command_line_is_read_up_to_the_limit_and_flagged()
    {
        var excludes = new StringBuilder();
        for (var i = 0; i < 40_000; i++) excludes.Append("--exclude\0/srv/src/cache/some/long/path/number/").Append(i).Append('\0');
        Process(10, "/usr/bin/python3\0/usr/bin/duplicity\0" + excludes + "/srv/src\0file:///var/backups/t\0");
        Process(11, "/usr/bin/java\0" + new string('x', 3 * 1024 * 1024) + "\0");
        new FileInfo(Path.Combine(_root, "10", "cmdline")).Length.Should().BeGreaterThan(ProcProcessSource.DefaultMaxCommandLineBytes);

        var instance = Scan().Instances.Single();

        instance.Pid.Should().Be(10);
        instance.Process.ArgvTruncated.Should().BeTrue();
        instance.Arguments.Target.Should().BeNull("the URL was beyond the limit");
    }

    [Test]
    public void A_megabyte_command_line_within_a_larger_limit_is_read_completely()
    {
        var excludes = new StringBuilder();
        for (var i = 0; i < 40_000; i++) excludes.Append("--exclude\0/srv/src/cache/").Append(i).Append('\0');
        Process(10, "/usr/bin/python3\0/usr/bin/duplicity\0" + excludes + "/srv/src\0file:///var/backups/t\0");

        var scan = DuplicityProcessFinder.Scan(new ProcProcessSource(_root, Now, maxCommandLineBytes: 4 * 1024 * 1024), ProcessFilter.All);

        scan.Instances.Single().Arguments.Target.Should().Be("file:///var/backups/t");
        scan.Instances.Single().Process.ArgvTruncated.Should().BeFalse();
    }

    [Test]
    public void Without_boot_time_a_found_duplicity_is_unknown()
    {
        File.Delete(Path.Combine(_root, "stat"));
        Process(10, Duplicity);

        FluentActions.Invoking(() => Scan()).Should().Throw<CheckException>().WithMessage("cannot read the boot time*");
    }

    [Test]
    public void Without_boot_time_and_without_duplicity_the_answer_is_still_known()
    {
        File.WriteAllText(Path.Combine(_root, "stat"), "garbage\n\0\0");
        Process(10, "/usr/sbin/cron\0-f\0");

        Scan().Instances.Should().BeEmpty();
    }

    [Test]
    public void A_capture_with_uptime_but_no_btime_is_read_as_taken_now()
    {
        File.WriteAllText(Path.Combine(_root, "stat"), "cpu 1 2 3\n");
        File.WriteAllText(Path.Combine(_root, "uptime"), "1813.10 3215.45\n");
        Process(10, Duplicity);

        // 1795689256 - (1795689256 - 1813.10 + 1809.09)
        Scan().Instances.Single().ElapsedSeconds(Now).Should().Be(4.01);
    }

    [Test]
    public void A_status_without_uid_leaves_the_user_unknown_and_a_user_filter_unknown()
    {
        Process(10, Duplicity, status: "Name:\tduplicity\n");

        Scan().Instances.Single().User.Should().BeNull();
        FluentActions.Invoking(() => Scan(new ProcessFilter(User: "root"))).Should().Throw<CheckException>().WithMessage("cannot tell the user of PID 10*");
    }

    [Test]
    public void Garbage_in_locks_wchan_and_fd_is_ignored()
    {
        File.WriteAllText(Path.Combine(_root, "locks"), "1: POSIX ADVISORY WRITE notapid zz:yy:1 0 EOF\n\0\0\nhalf a line");
        Process(10, Duplicity);
        File.WriteAllBytes(Path.Combine(_root, "10", "wchan"), [0xff, 0xfe, 0, 1]);
        Directory.CreateDirectory(Path.Combine(_root, "10", "fd", "0")); // a directory where a link belongs

        var instance = Scan().Instances.Single();

        instance.Lock.State.Should().Be(LockState.NotHeld);
        instance.Waiting.Should().BeNull();
        instance.Process.Stdin.Should().BeNull();
    }

    [Test]
    public void Unreadable_entries_and_foreign_names_in_the_root_are_skipped()
    {
        Directory.CreateDirectory(Path.Combine(_root, "self"));
        Directory.CreateDirectory(Path.Combine(_root, "99999999999"));
        Directory.CreateDirectory(Path.Combine(_root, "12")); // no files at all
        Directory.CreateDirectory(Path.Combine(_root, "13", "cmdline")); // cmdline is a directory
        Process(14, Duplicity);

        Scan().Instances.Select(i => i.Pid).Should().Equal(14);
    }

    [Test]
    public void A_missing_proc_root_is_unknown()
        => FluentActions.Invoking(() => DuplicityProcessFinder.Scan(new ProcProcessSource("/nonexistent/proc", Now), ProcessFilter.All))
            .Should().Throw<CheckException>().WithMessage("cannot list the process table /nonexistent/proc*");

    [Test]
    public void A_duplicity_under_a_duplicity_is_counted_once()
    {
        Process(10, "/usr/bin/duplicity\0/srv/src\0file:///var/backups/t\0");
        Process(11, "/usr/bin/python3\0/usr/bin/duplicity\0/srv/src\0file:///var/backups/t\0", ppid: 10);

        Scan().Instances.Select(i => i.Pid).Should().Equal(10);
    }

    [Test]
    public void A_catastrophic_match_pattern_is_unknown_not_a_hang()
    {
        Process(10, "/usr/bin/python3\0/usr/bin/duplicity\0" + new string('a', 5000) + "!\0file:///t\0");
        var evil = new System.Text.RegularExpressions.Regex("(a|aa)+b", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));

        FluentActions.Invoking(() => Scan(new ProcessFilter(Match: evil))).Should().Throw<CheckException>().WithMessage("--match: the pattern took too long*");
    }
}
