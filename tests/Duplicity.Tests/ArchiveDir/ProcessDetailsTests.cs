using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

public class ProcessDetailsTests
{
    private static string Snapshot(params string[] parts)
        => Path.Combine([RepoPaths.Fixtures, "duplicity-3.1.0", "ps-during-backup", "snapshots", "03-mid-backup", .. parts]);

    [Test]
    public void Start_ticks_of_the_recorded_duplicity_process()
        => ProcessDetails.ParseStartTicks(File.ReadAllText(Snapshot("proc", "1574-duplicity", "stat"))).Should().Be(233795);

    [Test]
    public void A_process_name_with_spaces_and_parentheses_does_not_shift_the_fields()
        => ProcessDetails.ParseStartTicks("42 (a) b (c) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 777 1000 10").Should().Be(777);

    [TestCase("")]
    [TestCase("42 (x) S 1 2 3")]
    [TestCase("42 x S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 777")]
    [TestCase("42 (x) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 -5 1")]
    public void A_stat_line_it_does_not_understand_gives_null(string stat) => ProcessDetails.ParseStartTicks(stat).Should().BeNull();

    [Test]
    public void Start_time_is_boot_time_plus_ticks_and_the_command_line_is_masked()
    {
        using var tree = new TempTree();
        Directory.CreateDirectory(Path.Combine(tree.ProcRoot, "77"));
        File.WriteAllText(Path.Combine(tree.ProcRoot, "stat"), "cpu  1 2 3\nintr 5\nbtime 1795687443\nprocesses 9\n");
        File.WriteAllText(Path.Combine(tree.ProcRoot, "77", "stat"), "77 (duplicity) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 233795 0 0\n");
        File.WriteAllBytes(Path.Combine(tree.ProcRoot, "77", "cmdline"),
            "/usr/bin/python3\0/usr/bin/duplicity\0--name\0db\0/srv\0sftp://backup:s3cr3t@host//srv/b\0"u8.ToArray());

        ProcessDetails.StartTime(tree.ProcRoot, 77).Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1795687443_000 + 2337_950));
        ProcessDetails.CommandLine(tree.ProcRoot, 77).Should().Be("/usr/bin/python3 /usr/bin/duplicity --name db /srv sftp://backup:***@host//srv/b");
    }

    [Test]
    public void A_process_that_is_gone_has_no_details()
    {
        using var tree = new TempTree();
        ProcessDetails.StartTime(tree.ProcRoot, 12345).Should().BeNull();
        ProcessDetails.CommandLine(tree.ProcRoot, 12345).Should().BeNull();
        ProcessDetails.BootTime(tree.ProcRoot).Should().BeNull();
    }

    [Test]
    [Category("RealComponent")]
    public void The_real_proc_gives_this_process_a_start_time_in_the_past_and_its_command_line()
    {
        var pid = Environment.ProcessId;
        var start = ProcessDetails.StartTime("/proc", pid);
        start.Should().NotBeNull();
        start!.Value.Should().BeBefore(DateTimeOffset.UtcNow.AddSeconds(1)).And.BeAfter(DateTimeOffset.UtcNow.AddDays(-1));
        ProcessDetails.CommandLine("/proc", pid).Should().Contain("dotnet");
    }
}
