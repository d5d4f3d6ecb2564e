using System.Globalization;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Freshness;

/// <summary>Real backups made by Debian's duplicity, read by the published check through every source.</summary>
[Category("RealComponent")]
[NonParallelizable]
public class FreshnessRealDuplicityTests
{
    private const string Check = "check_duplicity_freshness";

    private static ProcessOutcome Run(DuplicityLab lab, params string[] args)
        => ProcessRun.Run(RepoPaths.Executable(Check), args, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = lab.XdgCacheHome }, TimeSpan.FromMinutes(2));

    [Test]
    public void Archive_dir_saved_status_text_machine_log_and_live_run_agree()
    {
        using var lab = new DuplicityLab();
        lab.Full().ExitCode.Should().Be(0);
        Thread.Sleep(1100);
        lab.Touch("b.txt", "second");
        lab.Incremental().ExitCode.Should().Be(0);
        Thread.Sleep(1100);
        lab.Touch("c.txt", "third");
        lab.Incremental().ExitCode.Should().Be(0);
        var machine = Path.Combine(lab.Root, "status.machine");
        var status = lab.Run(["collection-status", "--archive-dir", lab.ArchiveDir, "--log-file", machine, lab.Target]);
        status.ExitCode.Should().Be(0);
        var text = Path.Combine(lab.Root, "status.txt");
        File.WriteAllText(text, status.Stdout);
        var now = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var outcomes = new[]
        {
            Run(lab, "-A", lab.ArchiveDir, "-d", lab.Target, "--now", now),
            Run(lab, "-s", machine, "--now", now),
            Run(lab, "-s", text, "--timezone", "UTC", "--now", now),
            Run(lab, "-d", lab.Target, "--now", now),
        };
        foreach (var o in outcomes)
        {
            o.Stderr.Should().BeEmpty();
            o.ExitCode.Should().Be(0, o.Stdout);
            o.FirstLine.Should().StartWith("DUPLICITY FRESHNESS OK - last backup 1m");
        }
        var perf = outcomes.Select(o => FreshnessFixtureTests.Perf(o.Stdout)).ToList();
        perf[0]["backup_sets"].Should().Be("3");
        perf[0]["chains"].Should().Be("1");
        foreach (var p in perf.Skip(1)) p.Should().BeEquivalentTo(perf[0]);
    }

    [Test]
    public void A_backup_killed_with_sigkill_is_not_counted_as_complete()
    {
        using var lab = new DuplicityLab();
        lab.Full().ExitCode.Should().Be(0);
        var firstFull = Run(lab, "-A", lab.ArchiveDir, "-d", lab.Target);
        firstFull.ExitCode.Should().Be(0, firstFull.Stdout);
        Thread.Sleep(1100);
        lab.AddRandomData("big.bin", 120);
        using (var backup = lab.Start(lab.BackupArgs("full")))
        {
            DuplicityLab.WaitFor(() => lab.VolumesAtTarget >= 3 && Directory.EnumerateFiles(lab.CacheDir, "*.manifest.part").Any(), "three volumes of the second full");
            ProcessTable.Signal(backup.ProcessId, 9);
            backup.Wait(30);
        }
        var run = Run(lab, "-A", lab.ArchiveDir, "-d", lab.Target, "-v");
        run.Stderr.Should().BeEmpty();
        run.ExitCode.Should().Be(1, run.Stdout);
        run.FirstLine.Should().StartWith("DUPLICITY FRESHNESS WARNING - last backup ").And.Contain("1 incomplete backup set");
        FreshnessFixtureTests.Perf(run.Stdout)["incomplete_sets"].Should().Be("1");
        // The killed full must not be taken for the last backup: the age is that of the first full.
        FreshnessFixtureTests.Perf(run.Stdout)["backup_sets"].Should().Be(FreshnessFixtureTests.Perf(firstFull.Stdout)["backup_sets"]);
    }

    [Test]
    public void A_live_run_while_a_backup_holds_the_lock_says_a_backup_is_in_progress()
    {
        using var lab = new DuplicityLab();
        lab.Full().ExitCode.Should().Be(0);
        lab.AddRandomData("big.bin", 200);
        using var backup = lab.Start(lab.BackupArgs("full"));
        DuplicityLab.WaitFor(() => File.Exists(Path.Combine(lab.CacheDir, "lockfile")) && Directory.EnumerateFiles(lab.CacheDir, "*.part").Any(), "the backup to take the lock");

        var live = Run(lab, "-d", lab.Target);
        live.Stderr.Should().BeEmpty();
        live.FirstLine.Should().Contain($"backup in progress").And.Contain($"PID {backup.ProcessId}");
        live.ExitCode.Should().Be(0, live.Stdout);

        var cache = Run(lab, "-A", lab.ArchiveDir, "-d", lab.Target);
        cache.FirstLine.Should().Contain($"backup in progress since ").And.Contain($"(PID {backup.ProcessId})");
        cache.ExitCode.Should().Be(0, cache.Stdout);

        // 60 h later the last backup is stale: CRITICAL, unless the running backup is within --running-grace.
        var later = DateTimeOffset.UtcNow.AddHours(60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var stale = Run(lab, "-A", lab.ArchiveDir, "-d", lab.Target, "--now", later);
        stale.ExitCode.Should().Be(2, stale.Stdout);
        stale.FirstLine.Should().Contain("backup in progress since ");
        var graced = Run(lab, "-A", lab.ArchiveDir, "-d", lab.Target, "--now", later, "--running-grace", "3d");
        graced.ExitCode.Should().Be(1, graced.Stdout);
        graced.FirstLine.Should().Contain("softened: backup running for 2d");
    }
}
