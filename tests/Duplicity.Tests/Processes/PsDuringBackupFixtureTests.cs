using System.Globalization;
using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>
/// The 3.1.0 ps-during-backup captures (a real cron-started, GPG-encrypted backup) through --ps-file and through a
/// /proc-style root rebuilt from the raw proc files, with --now at the capture time.
/// </summary>
public partial class PsDuringBackupFixtureTests
{
    private const string LockFile = "/var/cache/duplicity-3.1.0/ce27f30f9c57b67f5517ac96c1fe9207/lockfile";
    private string _temp = "";

    [SetUp]
    public void SetUp() => _temp = ProcFixtures.TempDir();

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private static string Snapshot(string name) => Path.Combine(ProcFixtures.PsDuringBackup, name);

    /// <summary>lockfile-inode.txt holds "device(hex)=fe00 inode=1130499" while the lockfile exists.</summary>
    private static Func<string, FileStatus?> Identity(string snapshot)
    {
        var m = StatLine().Match(File.ReadAllText(Path.Combine(Snapshot(snapshot), "lockfile-inode.txt")));
        if (!m.Success) return _ => null;
        var dev = uint.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var inode = ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return path => path == LockFile ? ProcFixtures.LockFile(inode, dev) : null;
    }

    [GeneratedRegex(@"device\(hex\)=([0-9a-f]+) inode=(\d+)")]
    private static partial Regex StatLine();

    private DuplicityProcessScan ScanPs(string snapshot, bool withLocks = false)
    {
        string? locksRoot = null;
        if (withLocks)
        {
            locksRoot = Directory.CreateDirectory(Path.Combine(_temp, "locks-" + snapshot)).FullName;
            File.Copy(Path.Combine(Snapshot(snapshot), "proc-locks.txt"), Path.Combine(locksRoot, "locks"));
        }
        var source = PsProcessSource.Read(Path.Combine(Snapshot(snapshot), "ps-eo-pid-ppid-user-lstart-etimes-args.txt"), TimeZoneInfo.Utc, locksRoot);
        return DuplicityProcessFinder.Scan(source, ProcessFilter.All, new FinderSeams { FileIdentity = Identity(snapshot) });
    }

    private DuplicityProcessScan ScanProc(string snapshot)
    {
        var root = ProcFixtures.RebuildProcRoot(Snapshot(snapshot), Path.Combine(_temp, "proc-" + snapshot));
        var source = new ProcProcessSource(root, ProcFixtures.CapturedAt(Snapshot(snapshot)));
        return DuplicityProcessFinder.Scan(source, ProcessFilter.All, new FinderSeams { FileIdentity = Identity(snapshot) });
    }

    [TestCase("00-before-cron-fires")]
    [TestCase("04-after-backup-finished")]
    public void Before_and_after_the_backup_no_duplicity_runs(string snapshot)
        => ScanPs(snapshot).Instances.Should().BeEmpty();

    [TestCase("01-duplicity-started-holds-lock", 1582, 1)]
    [TestCase("02-child-gpg", 1582, 1)]
    [TestCase("03-mid-backup", 1735, 6)]
    public void The_ps_capture_shows_the_backup_with_its_gpg_child(string snapshot, int gpg, double elapsed)
    {
        var instance = ScanPs(snapshot).Instances.Single();

        instance.Pid.Should().Be(1574);
        instance.Process.ParentPid.Should().Be(1573);
        instance.User.Should().Be("root");
        instance.StartUtc.Should().Be(DateTimeOffset.Parse("2026-11-26T10:43:00Z", CultureInfo.InvariantCulture));
        instance.ElapsedSeconds(ProcFixtures.CapturedAt(Snapshot(snapshot))).Should().Be(elapsed);
        instance.Children.Select(c => (c.Pid, c.ShortName)).Should().Equal((gpg, "gpg"));
        instance.Arguments.Action.Should().Be("backup");
        instance.Arguments.ActionIsImplicit.Should().BeTrue();
        instance.Arguments.Target.Should().Be("file:///var/backups/d310-ps-capture");
        instance.LockFile.Should().Be(LockFile);
        instance.Lock.State.Should().Be(LockState.Unknown, "a ps capture alone has no lock table");
        instance.Waiting.Should().BeNull("a ps capture shows no terminal reads");
    }

    [Test]
    public void With_the_lock_table_of_the_same_moment_the_holder_is_known()
        => ScanPs("01-duplicity-started-holds-lock", withLocks: true).Instances.Single().Lock
            .Should().Be(new LockStatus(LockState.Holds, LockFile, 1574, 1130499));

    [Test]
    public void Cron_and_its_shell_are_not_instances_even_though_they_mention_duplicity()
    {
        // sh -c "/usr/local/bin/duplicity-backup.sh >> ..." has "duplicity" in its arguments.
        var source = PsProcessSource.Read(Path.Combine(Snapshot("01-duplicity-started-holds-lock"), "ps-eo-forest.txt"), TimeZoneInfo.Utc);

        DuplicityProcessFinder.Scan(source, ProcessFilter.All).Instances.Select(i => i.Pid).Should().Equal(1574);
    }

    [TestCase("01-duplicity-started-holds-lock", 1582)]
    [TestCase("02-child-gpg", 1582)]
    public void The_rebuilt_proc_root_shows_the_backup_its_lock_and_its_child(string snapshot, int gpg)
    {
        var instance = ScanProc(snapshot).Instances.Single();

        instance.Pid.Should().Be(1574);
        instance.Process.Comm.Should().Be("duplicity");
        instance.StartUtc!.Value.ToUnixTimeMilliseconds().Should().Be(1795689780950);
        instance.ElapsedSeconds(ProcFixtures.CapturedAt(Snapshot(snapshot))).Should().Be(0.05);
        instance.Children.Select(c => c.Pid).Should().Equal(gpg);
        instance.Lock.Should().Be(new LockStatus(LockState.Holds, LockFile, 1574, 1130499));
        instance.Waiting.Should().BeNull();
    }

    [Test]
    public void The_boot_time_derived_from_ps_is_the_one_recorded_on_the_same_machine_by_the_0_8_22_capture()
    {
        var root = ProcFixtures.RebuildProcRoot(Snapshot("03-mid-backup"), Path.Combine(_temp, "btime"));

        File.ReadAllText(Path.Combine(root, "stat")).Should().Contain("btime 1795687443\n");
        File.ReadAllText(Path.Combine(ProcFixtures.Live, "live-backup-running", "proc", "stat")).Should().Contain("btime 1795687443\n");
    }

    [Test]
    public void Mid_backup_the_raw_proc_files_hold_no_gpg_child_although_ps_shows_one()
    {
        // The capture script copied /proc before gpg 1735 (seen by ps a moment earlier) was found: a fact of the capture.
        ScanProc("03-mid-backup").Instances.Single().Children.Should().BeEmpty();
    }
}
