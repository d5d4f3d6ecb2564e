using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>The 0.8.22 /proc captures through --proc-root, with --now at the capture time: the facts of facts.json.</summary>
public class ProcCaptureFixtureTests
{
    private static DuplicityProcessScan ScanSnapshot(string snapshot, ProcessFilter? filter = null)
    {
        var dir = Path.Combine(ProcFixtures.Live, snapshot);
        var source = new ProcProcessSource(Path.Combine(dir, "proc"), ProcFixtures.CapturedAt(dir));
        return DuplicityProcessFinder.Scan(source, filter ?? ProcessFilter.All, new FinderSeams { FileIdentity = ProcFixtures.LockfileIdentities(dir) });
    }

    [TestCase("live-backup-running")]
    [TestCase("live-backup-finished")]
    [TestCase("passphrase-wait")]
    public void Finds_exactly_the_duplicity_processes_of_the_facts(string snapshot)
    {
        var facts = ProcFixtures.Facts(snapshot);
        var expected = facts.GetProperty("processes").EnumerateArray()
            .Where(p => p.GetProperty("comm").GetString() == "duplicity")
            .Select(p => p.GetProperty("pid").GetInt32()).ToList();

        var scan = ScanSnapshot(snapshot);

        scan.Instances.Select(i => i.Pid).Should().Equal(expected);
        // The lock table is read only when there is something to match it to.
        scan.LocksKnown.Should().Be(expected.Count > 0);
    }

    [TestCase("live-backup-running")]
    [TestCase("passphrase-wait")]
    public void Start_elapsed_argv_and_lock_match_the_facts(string snapshot)
    {
        var dir = Path.Combine(ProcFixtures.Live, snapshot);
        var facts = ProcFixtures.Facts(snapshot);
        var fact = facts.GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("comm").GetString() == "duplicity");

        var instance = ScanSnapshot(snapshot).Instances.Single();

        instance.StartUtc!.Value.ToUnixTimeMilliseconds().Should().Be((long)Math.Round(fact.GetProperty("start_epoch").GetDouble() * 1000));
        instance.ElapsedSeconds(ProcFixtures.CapturedAt(dir)).Should().Be(fact.GetProperty("elapsed_s").GetDouble());
        instance.Process.Argv.Should().Equal(fact.GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        instance.Process.ParentPid.Should().Be(fact.GetProperty("ppid").GetInt32());
        instance.Process.Stdin.Should().Be(fact.GetProperty("stdin").GetString());
        instance.User.Should().Be("root");
        instance.Lock.State.Should().Be(LockState.Holds);
        instance.LockFile.Should().Be(fact.GetProperty("holds_lock")[0].GetString());
        instance.Lock.HolderPid.Should().Be(instance.Pid);
        instance.Children.Should().BeEmpty();
    }

    [Test]
    public void The_running_backup_is_an_implied_backup_to_its_file_target_and_not_waiting()
    {
        var instance = ScanSnapshot("live-backup-running").Instances.Single();

        instance.Arguments.Action.Should().Be("backup");
        instance.Arguments.ActionIsImplicit.Should().BeTrue();
        instance.Arguments.Target.Should().Be("file:///var/backups/live-proc");
        instance.Arguments.Source.Should().Be("/srv/backup/big");
        instance.ArchiveDir.Should().Be("/var/cache/duplicity-live");
        instance.Waiting.Should().BeNull();
        instance.Process.State.Should().Be('R');
    }

    [Test]
    public void The_duplicity_at_the_passphrase_prompt_is_waiting_on_its_pseudo_terminal()
    {
        var fact = ProcFixtures.Facts("passphrase-wait").GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("pid").GetInt32() == 50);

        var instance = ScanSnapshot("passphrase-wait").Instances.Single();

        instance.Process.WaitChannel.Should().Be(fact.GetProperty("wchan").GetString());
        instance.Waiting.Should().Be(new TerminalInputWait(50, "duplicity", "/dev/pts/0"));
    }

    [Test]
    public void Wrappers_around_duplicity_are_not_instances()
    {
        // script (PID 47) and sh -c "duplicity ..." (PID 49) carry the whole duplicity command line as one argument.
        var scan = ScanSnapshot("passphrase-wait", new ProcessFilter(Match: new System.Text.RegularExpressions.Regex("gpg-symmetric")));

        scan.Instances.Select(i => i.Pid).Should().Equal(50);
    }

    [Test]
    public void Without_the_lockfile_on_this_machine_the_lock_is_reported_as_held_but_unverified()
    {
        var dir = Path.Combine(ProcFixtures.Live, "live-backup-running");
        var source = new ProcProcessSource(Path.Combine(dir, "proc"), ProcFixtures.CapturedAt(dir));

        var instance = DuplicityProcessFinder.Scan(source, ProcessFilter.All, new FinderSeams { FileIdentity = _ => null }).Instances.Single();

        instance.Lock.State.Should().Be(LockState.HoldsUnverified);
        instance.Lock.Inode.Should().Be(1056773);
    }

    [TestCase("file:///var/backups/live-proc", true)]
    [TestCase("file:///var/backups/live-proc/", true)]
    [TestCase("file:///var/backups/other", false)]
    public void The_destination_filter_selects_by_target(string destination, bool found)
        => ScanSnapshot("live-backup-running", new ProcessFilter(Destination: destination)).Instances.Should().HaveCount(found ? 1 : 0);

    [Test]
    public void Archive_dir_name_and_user_filters_select_the_instance()
    {
        ScanSnapshot("live-backup-running", new ProcessFilter(ArchiveDir: "/var/cache/duplicity-live/", Name: "96f201a7c9afd8d7703c3c84e235194f", User: "root")).Instances.Should().HaveCount(1);
        ScanSnapshot("live-backup-running", new ProcessFilter(User: "0")).Instances.Should().HaveCount(1);
        ScanSnapshot("live-backup-running", new ProcessFilter(User: "nobody")).Instances.Should().BeEmpty();
        // A name resolved to its uid (RunningOptions.Open) compares by uid: a second name for uid 0 finds root's run.
        ScanSnapshot("live-backup-running", new ProcessFilter(User: "toor") { UserId = 0 }).Instances.Should().HaveCount(1);
        ScanSnapshot("live-backup-running", new ProcessFilter(User: "root") { UserId = 65534 }).Instances.Should().BeEmpty();
        ScanSnapshot("live-backup-running", new ProcessFilter(ArchiveDir: "/var/cache/duplicity")).Instances.Should().BeEmpty();
    }

    [Test]
    public void The_lockfile_a_filter_designates_is_matched_to_its_holder()
    {
        var scan = ScanSnapshot("passphrase-wait", new ProcessFilter(Destination: "file:///var/backups/gpg-symmetric", ArchiveDir: "/var/cache/duplicity"));

        scan.FilterLockFile.Should().Be("/var/cache/duplicity/be2f0a62a0b22981a5dbbe23a653b587/lockfile");
        scan.FilterLockHolder.Should().Be(50);
    }

    [Test]
    public void The_freshness_api_finds_nothing_after_the_backup_finished()
    {
        var dir = Path.Combine(ProcFixtures.Live, "live-backup-finished");

        DuplicityProcessFinder.Find(Path.Combine(dir, "proc"), null, ProcFixtures.CapturedAt(dir)).Should().BeEmpty();
    }
}
