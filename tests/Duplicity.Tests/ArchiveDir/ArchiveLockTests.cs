using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Locks;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// The lock holder of a cache folder, from the recorded lock-contention and ps-during-backup captures
/// (their /proc/locks lines, re-pointed at a real temporary lockfile, since an inode cannot be recreated),
/// and from a real POSIX lock taken by a live process.
/// </summary>
public partial class ArchiveLockTests
{
    [GeneratedRegex(@"^\d+: POSIX  ADVISORY  WRITE (?<pid>\d+) (?<dev>[0-9a-f]{2}:[0-9a-f]{2}):(?<ino>\d+) 0 EOF$", RegexOptions.Multiline)]
    private static partial Regex PosixLockLine();

    internal static string Step(string version, string scenario, string step, string file) => Path.Combine(Manifest.StepDirectory(version, scenario, step), file);

    /// <summary>/proc/locks text with the recorded POSIX line moved onto <paramref name="lockFile"/>'s real inode and device.</summary>
    internal static string RepointedLocks(string recorded, string lockFile)
    {
        var id = FileStatus.OfName(lockFile) ?? throw new InvalidOperationException("no lockfile");
        var dev = string.Create(CultureInfo.InvariantCulture, $"{id.DeviceMajor:x2}:{id.DeviceMinor:x2}");
        return PosixLockLine().Replace(recorded, m => m.Value.Replace($"{m.Groups["dev"].Value}:{m.Groups["ino"].Value}", $"{dev}:{id.Inode}", StringComparison.Ordinal));
    }

    internal static string RebuildCache(TempTree tree, string listingFile)
    {
        var listing = CacheListing.Read(listingFile);
        var dir = Path.Combine(tree.Root, "cache", listing.FolderName);
        CacheRebuilder.Rebuild(listing, dir, _ => null);
        return dir;
    }

    [Test]
    public void The_recorded_lock_line_names_the_backup_pid_for_the_recorded_lockfile_inode()
    {
        var stdout = File.ReadAllText(Step("3.1.0", "lock-contention", "02-proc-locks-while-backup-runs", "stdout.txt"));
        stdout.Should().Contain("device(hex)=fe00 inode=1097871").And.Contain("backup pid (host PID namespace): 18702");
        var locks = ProcLocks.Parse(stdout.Split('\n'));
        ProcLocks.HolderOf(locks, 1097871, (0xfe, 0x00)).Should().Be(18702);
    }

    [Test]
    public void Lock_contention_while_the_backup_runs_the_holder_is_the_recorded_pid()
    {
        using var tree = new TempTree();
        // Step 03 ran while the first backup held the lock: the cache had lockfile + the .part manifest.
        var dir = RebuildCache(tree, Step("3.1.0", "lock-contention", "03-second-backup-same-archive-dir", "ls-var_cache_duplicity-3.1.0_cf312a12e1991a47e8ffd625283f55e3.txt"));
        var recorded = File.ReadAllText(Step("3.1.0", "lock-contention", "02-proc-locks-while-backup-runs", "stdout.txt"));
        File.WriteAllText(Path.Combine(tree.ProcRoot, "locks"), RepointedLocks(recorded, Path.Combine(dir, "lockfile")));

        var b = ArchiveDirScanner.Scan(Path.Combine(tree.Root, "cache"), name: "cf312a12e1991a47e8ffd625283f55e3", procRoot: tree.ProcRoot).Single();

        // No /proc/18702 in the capture: the PID is known, start time and command are not.
        b.Collection.Lock.Should().Be(new DuplicityChecks.Duplicity.Model.LockHolder(18702, Path.Combine(dir, "lockfile")));
        b.StaleLockFile.Should().BeFalse();
        b.Collection.IncompleteSets.Should().Be(1, "a running backup's set is a .part manifest, like a killed one");
        b.Collection.Chains.Should().BeEmpty();
    }

    [Test]
    public void The_recorded_inode_itself_is_not_our_lockfile_so_nobody_holds_it()
    {
        using var tree = new TempTree();
        var dir = RebuildCache(tree, Step("3.1.0", "lock-contention", "03-second-backup-same-archive-dir", "ls-var_cache_duplicity-3.1.0_cf312a12e1991a47e8ffd625283f55e3.txt"));
        File.Copy(Step("3.1.0", "lock-contention", "02-proc-locks-while-backup-runs", "stdout.txt"), Path.Combine(tree.ProcRoot, "locks"), overwrite: true);
        var b = ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot);
        b.Collection.Lock.Should().BeNull();
        b.StaleLockFile.Should().BeTrue();
    }

    [Test]
    public void Same_inode_on_another_device_is_not_a_holder()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        var lockFile = tree.File_("cache/n/lockfile");
        var id = FileStatus.OfName(lockFile)!.Value;
        File.WriteAllText(Path.Combine(tree.ProcRoot, "locks"), string.Create(CultureInfo.InvariantCulture, $"1: POSIX  ADVISORY  WRITE 99 {id.DeviceMajor + 1:x2}:{id.DeviceMinor:x2}:{id.Inode} 0 EOF\n"));
        ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot).Collection.Lock.Should().BeNull();
        File.WriteAllText(Path.Combine(tree.ProcRoot, "locks"), string.Create(CultureInfo.InvariantCulture, $"1: POSIX  ADVISORY  WRITE 99 {id.DeviceMajor:x2}:{id.DeviceMinor + 1:x2}:{id.Inode} 0 EOF\n"));
        ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot).Collection.Lock.Should().BeNull("the minor number differs");
        File.WriteAllText(Path.Combine(tree.ProcRoot, "locks"), string.Create(CultureInfo.InvariantCulture, $"1: POSIX  ADVISORY  WRITE 99 {id.DeviceMajor:x2}:{id.DeviceMinor:x2}:{id.Inode} 0 EOF\n"));
        ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot).Collection.Lock!.Pid.Should().Be(99, "the same device and inode: the holder");
        File.WriteAllText(Path.Combine(tree.ProcRoot, "locks"), string.Create(CultureInfo.InvariantCulture, $"1: FLOCK  ADVISORY  WRITE 99 {id.DeviceMajor:x2}:{id.DeviceMinor:x2}:{id.Inode} 0 EOF\n"));
        ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot).Collection.Lock.Should().BeNull("duplicity's lock is POSIX (lockf), a flock is someone else");
    }

    [TestCase(0xfeu, 0x00u, "fe:00")]
    [TestCase(259u, 0x10001u, "103:10001")]                 // an NVMe partition: a minor past 255
    [TestCase(0xfffu + 1, 0xfffffu + 1, "1000:100000")]     // past the 12-bit major and 20-bit minor of the old dev_t
    public void A_lockfile_is_matched_by_its_major_and_minor_as_proc_locks_prints_them(uint major, uint minor, string printed)
    {
        var lockFile = new FileStatus(Mode: 0x8180, Owner: 0, Size: 0, Inode: 1097871, Links: 1, Device: ((ulong)major << 32) | minor);
        ProcLocks.HolderOf(ProcLocks.Parse([$"1: POSIX  ADVISORY  WRITE 18702 {printed}:1097871 0 EOF"]), lockFile).Should().Be(18702);
        ProcLocks.HolderOf(ProcLocks.Parse([$"1: POSIX  ADVISORY  WRITE 18702 {printed}:1097872 0 EOF"]), lockFile).Should().BeNull("another inode");
        ProcLocks.HolderOf(ProcLocks.Parse([string.Create(CultureInfo.InvariantCulture, $"1: POSIX  ADVISORY  WRITE 18702 {major:x}:{minor + 1:x}:1097871 0 EOF")]), lockFile).Should().BeNull("another minor");
        ProcLocks.HolderOf(ProcLocks.Parse([string.Create(CultureInfo.InvariantCulture, $"1: POSIX  ADVISORY  WRITE 18702 {major + 1:x}:{minor:x}:1097871 0 EOF")]), lockFile).Should().BeNull("another major");
    }

    private static IEnumerable<string> HoldingSnapshots() => ["01-duplicity-started-holds-lock", "02-child-gpg", "03-mid-backup"];

    [TestCaseSource(nameof(HoldingSnapshots))]
    public void Ps_during_backup_snapshot_gives_pid_start_time_and_command(string snapshot)
    {
        var snap = Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "ps-during-backup", "snapshots", snapshot);
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "ce27f30f9c57b67f5517ac96c1fe9207");
        var lockFile = tree.File_("cache/ce27f30f9c57b67f5517ac96c1fe9207/lockfile");
        File.ReadAllText(Path.Combine(snap, "lockfile-inode.txt")).Should().Contain("device(hex)=fe00 inode=1130499");
        File.WriteAllText(Path.Combine(tree.ProcRoot, "locks"), RepointedLocks(File.ReadAllText(Path.Combine(snap, "proc-locks.txt")), lockFile));
        var pidDir = Directory.CreateDirectory(Path.Combine(tree.ProcRoot, "1574")).FullName;
        File.Copy(Path.Combine(snap, "proc", "1574-duplicity", "stat"), Path.Combine(pidDir, "stat"));
        File.Copy(Path.Combine(snap, "proc", "1574-duplicity", "cmdline"), Path.Combine(pidDir, "cmdline"));
        // btime was not captured; this one puts the start where ps's lstart says it was (10:43:00, 233795 ticks after boot).
        File.WriteAllText(Path.Combine(tree.ProcRoot, "stat"), "cpu  1 2 3 4\nbtime 1795687443\n");

        var holder = ArchiveDirScanner.Scan(Path.Combine(tree.Root, "cache"), destinationUrl: "file:///var/backups/d310-ps-capture", procRoot: tree.ProcRoot)
            .Single().Collection.Lock;

        holder.Should().NotBeNull();
        holder!.Pid.Should().Be(1574);
        holder.LockFile.Should().Be(lockFile);
        holder.Command.Should().Be("/usr/bin/python3 /usr/bin/duplicity --full-if-older-than 7D --archive-dir /var/cache/duplicity-3.1.0 --volsize 5 /srv/backup/big file:///var/backups/d310-ps-capture");
        var lstart = File.ReadLines(Path.Combine(snap, "ps-eo-pid-ppid-user-lstart-etimes-args.txt")).Single(l => l.TrimStart().StartsWith("1574 ", StringComparison.Ordinal));
        lstart.Should().Contain("Thu Nov 26 10:43:00 2026");
        holder.Since.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 43, 0, 950, TimeSpan.Zero));
    }

    [TestCase("00-before-cron-fires")]
    [TestCase("04-after-backup-finished")]
    public void Before_and_after_the_run_there_is_no_lockfile_and_no_holder(string snapshot)
    {
        var snap = Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "ps-during-backup", "snapshots", snapshot);
        File.ReadAllText(Path.Combine(snap, "lockfile-inode.txt")).Should().Contain("No such file or directory");
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "ce27f30f9c57b67f5517ac96c1fe9207");
        File.Copy(Path.Combine(snap, "proc-locks.txt"), Path.Combine(tree.ProcRoot, "locks"), overwrite: true);
        var b = ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot);
        (b.LockFilePresent, b.Collection.Lock).Should().Be((false, null));
    }

    [Test]
    [Category("RealComponent")]
    public async Task A_real_posix_lock_is_found_through_the_real_proc_locks()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "real");
        var lockFile = tree.File_("cache/real/lockfile");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var locked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The same call duplicity's fasteners makes: fcntl.lockf(LOCK_EX) on the lockfile.
        var task = Cli.Wrap("/usr/bin/python3")
            .WithArguments(["-c", "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(120)", lockFile])
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => { if (line == "locked") locked.TrySetResult(); }))
            .ExecuteAsync(cts.Token);
        try
        {
            await locked.Task.WaitAsync(cts.Token);

            var b = ArchiveDirScanner.ScanFolder(dir);

            b.Collection.Lock.Should().NotBeNull();
            b.Collection.Lock!.Pid.Should().Be(task.ProcessId);
            b.Collection.Lock.LockFile.Should().Be(lockFile);
            b.Collection.Lock.Command.Should().StartWith("/usr/bin/python3 -c import fcntl");
            b.Collection.Lock.Since.Should().NotBeNull();
            b.StaleLockFile.Should().BeFalse();
        }
        finally
        {
            await cts.CancelAsync();
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
                // killed on purpose
            }
        }
        // Once the holder is gone the kernel drops the lock: the file left behind is stale, not a running backup.
        var after = ArchiveDirScanner.ScanFolder(dir);
        (after.Collection.Lock, after.StaleLockFile).Should().Be((null, true));
    }
}
