using DuplicityChecks.Checks.Freshness;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Tests.Freshness;

/// <summary>
/// The evaluation of check_duplicity_freshness, table-driven: readings built in code (collections with given
/// ages, incomplete and orphaned sets, a lock, several backups, none, an unreachable destination) and the state,
/// summary and perfdata the check prints for them.
/// </summary>
public class FreshnessEvaluatorTests
{
    /// <summary>2026-11-26 12:00 UTC.</summary>
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795694400);

    private static BackupSet Full(double hoursAgo, int volumes = 2) => new(BackupSetType.Full, Now.AddHours(-hoursAgo), volumes);

    private static BackupSet Inc(double hoursAgo) => new(BackupSetType.Incremental, Now.AddHours(-hoursAgo), 1);

    private static BackupChain Primary(params BackupSet[] sets) => new(ChainKind.Primary, sets);

    private static BackupCollection Backup(string name, params BackupChain[] chains)
        => new() { Name = name, Source = BackupSourceKind.ArchiveDir, SourceDescription = $"/var/cache/duplicity/{name}", Chains = chains };

    private static BackupCollection Fresh => Backup("be2f", Primary(Full(30), Inc(1)));

    private static LockHolder Holder(double minutesAgo) => new(4242, "/var/cache/duplicity/be2f/lockfile", Now.AddMinutes(-minutesAgo));

    private static FreshnessReading Of(params BackupCollection[] collections) => new() { Collections = collections };

    /// <summary>The one place these tests build options (how options are declared is changing: issue 16 item 2).</summary>
    private static FreshnessOptions Options(params string[] args)
        => FreshnessOptions.From(CommandLine.Parse(["-A", "/var/cache/duplicity", "-d", "sftp://backup@host/srv/b", "--listing-cache", "off", .. args], FreshnessOptions.Specs));

    private const string FreshPerf = "last_backup_age=3600s;93600;180000;0 last_full_age=108000s;;;0 chains=1;;;0 backup_sets=2;;;0 volumes=3;;;0";

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, FreshnessReading reading, string[] args, ServiceState state, string summary, string perfData)
            => new TestCaseData(reading, args, state, summary, perfData).SetArgDisplayNames(name);

        yield return Case("fresh", Of(Fresh), [], ServiceState.Ok,
            "last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 1d 6h ago",
            FreshPerf + " incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("last backup past -w", Of(Backup("be2f", Primary(Full(30)))), [], ServiceState.Warning,
            "last backup 1d 6h ago (full, 2026-11-25 06:00 UTC) (limit 1d 2h), last full 1d 6h ago",
            "last_backup_age=108000s;93600;180000;0 last_full_age=108000s;;;0 chains=1;;;0 backup_sets=1;;;0 volumes=2;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("last backup past -c", Of(Backup("be2f", Primary(Full(60)))), [], ServiceState.Critical,
            "last backup 2d 12h ago (full, 2026-11-24 00:00 UTC) (limit 2d 2h), last full 2d 12h ago",
            "last_backup_age=216000s;93600;180000;0 last_full_age=216000s;;;0 chains=1;;;0 backup_sets=1;;;0 volumes=2;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("last full past --full-warning", Of(Backup("be2f", Primary(Full(200), Inc(1)))), ["--full-warning", "7d"], ServiceState.Warning,
            "last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 8d 8h ago (limit 7d)",
            "last_backup_age=3600s;93600;180000;0 last_full_age=720000s;604800;;0 chains=1;;;0 backup_sets=2;;;0 volumes=3;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("no backup in the archive dir", Of(), [], ServiceState.Critical,
            "no duplicity backup found", "");
        yield return Case("a backup without any set", Of(Backup("be2f")), [], ServiceState.Critical,
            "no complete backup",
            "last_backup_age=U;93600;180000;0 last_full_age=U;;;0 chains=0;;;0 backup_sets=0;;;0 volumes=0;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("only an incomplete set", Of(Backup("be2f") with { IncompleteSets = 1 }), [], ServiceState.Critical,
            "no complete backup (1 incomplete set)",
            "last_backup_age=U;93600;180000;0 last_full_age=U;;;0 chains=0;;;0 backup_sets=0;;;0 volumes=0;;;0 incomplete_sets=1;;;0 orphaned_sets=0;;;0");
        yield return Case("an interrupted set beside a fresh backup", Of(Fresh with { IncompleteSets = 1 }), [], ServiceState.Warning,
            "last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 1d 6h ago; 1 incomplete backup set",
            FreshPerf + " incomplete_sets=1;;;0 orphaned_sets=0;;;0");
        yield return Case("--incomplete-state ok", Of(Fresh with { IncompleteSets = 1 }), ["--incomplete-state", "ok"], ServiceState.Ok,
            "last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 1d 6h ago",
            FreshPerf + " incomplete_sets=1;;;0 orphaned_sets=0;;;0");
        yield return Case("--orphaned-state critical", Of(Fresh with { OrphanedSets = 1 }), ["--orphaned-state", "critical"], ServiceState.Critical,
            "last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 1d 6h ago; 1 orphaned backup set",
            FreshPerf + " incomplete_sets=0;;;0 orphaned_sets=1;;;0");
        yield return Case("orphaned sets", Of(Fresh with { OrphanedSets = 2 }), [], ServiceState.Warning,
            "last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 1d 6h ago; 2 orphaned backup sets",
            FreshPerf + " incomplete_sets=0;;;0 orphaned_sets=2;;;0");
        yield return Case("a lock held by the running backup, its own incomplete set", Of(Fresh with { IncompleteSets = 1, Lock = Holder(10) }), [], ServiceState.Ok,
            "last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 1d 6h ago; backup in progress since 2026-11-26 11:50 UTC (PID 4242)",
            FreshPerf + " incomplete_sets=1;;;0 orphaned_sets=0;;;0");
        yield return Case("a critical age softened by --running-grace", Of(Backup("be2f", Primary(Full(60))) with { Lock = Holder(30) }), ["--running-grace", "2h"], ServiceState.Warning,
            "last backup 2d 12h ago (full, 2026-11-24 00:00 UTC) (limit 2d 2h), softened: backup running for 30m, last full 2d 12h ago; backup in progress since 2026-11-26 11:30 UTC (PID 4242)",
            "last_backup_age=216000s;93600;180000;0 last_full_age=216000s;;;0 chains=1;;;0 backup_sets=1;;;0 volumes=2;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("a run older than --running-grace is not softened", Of(Backup("be2f", Primary(Full(60))) with { Lock = Holder(180) }), ["--running-grace", "2h"], ServiceState.Critical,
            "last backup 2d 12h ago (full, 2026-11-24 00:00 UTC) (limit 2d 2h), last full 2d 12h ago; backup in progress since 2026-11-26 09:00 UTC (PID 4242)",
            "last_backup_age=216000s;93600;180000;0 last_full_age=216000s;;;0 chains=1;;;0 backup_sets=1;;;0 volumes=2;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("no chain with matching signatures", Of(Backup("be2f", new BackupChain(ChainKind.Secondary, [Full(2)]))), [], ServiceState.Warning,
            "last backup 2h ago (full, 2026-11-26 10:00 UTC), last full 2h ago; no primary chain",
            "last_backup_age=7200s;93600;180000;0 last_full_age=7200s;;;0 chains=1;;;0 backup_sets=1;;;0 volumes=2;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("a newest backup in the future", Of(Backup("be2f", Primary(Full(-1)))), [], ServiceState.Warning,
            "last backup 0s ago (full, 2026-11-26 13:00 UTC), last full 0s ago",
            "last_backup_age=0s;93600;180000;0 last_full_age=0s;;;0 chains=1;;;0 backup_sets=1;;;0 volumes=2;;;0 incomplete_sets=0;;;0 orphaned_sets=0;;;0");
        yield return Case("several backups, the worst first", Of(Fresh, Backup("c0de", Primary(Full(60)))), [], ServiceState.Critical,
            "2 backups: c0de: last backup 2d 12h ago (full, 2026-11-24 00:00 UTC) (limit 2d 2h), last full 2d 12h ago; be2f: last backup 1h ago (incremental, 2026-11-26 11:00 UTC), last full 1d 6h ago",
            "be2f_last_backup_age=3600s;93600;180000;0 be2f_last_full_age=108000s;;;0 be2f_chains=1;;;0 be2f_backup_sets=2;;;0 be2f_volumes=3;;;0 be2f_incomplete_sets=0;;;0 be2f_orphaned_sets=0;;;0 "
            + "c0de_last_backup_age=216000s;93600;180000;0 c0de_last_full_age=216000s;;;0 c0de_chains=1;;;0 c0de_backup_sets=1;;;0 c0de_volumes=2;;;0 c0de_incomplete_sets=0;;;0 c0de_orphaned_sets=0;;;0");
        yield return Case("an unreachable destination", new FreshnessReading { Unreachable = "cannot list the destination: BackendException: ssh: connect to host host port 22: Connection refused" }, [], ServiceState.Critical,
            "cannot list the destination: BackendException: ssh: connect to host host port 22: Connection refused", "");
    }

    [TestCaseSource(nameof(Cases))]
    public void Evaluates(FreshnessReading reading, string[] args, ServiceState state, string summary, string perfData)
    {
        var result = new FreshnessEvaluator(Options(args), Now, verbosity: 0).Evaluate(reading);

        result.State.Should().Be(state, result.Summary);
        result.Summary.Should().Be(summary);
        string.Join(' ', result.PerfData).Should().Be(perfData);
    }

    [Test]
    public void An_unreachable_destination_hints_at_collection_status()
    {
        var result = new FreshnessEvaluator(Options(), Now, 0).Evaluate(new FreshnessReading { Unreachable = "cannot list the destination: exit code 50" });

        result.Hints.Should().ContainSingle().Which.Should().Contain("collection-status").And.Contain("sftp://backup@host/srv/b");
    }

    [Test]
    public void Incomplete_and_orphaned_sets_hint_at_cleanup_once()
    {
        var result = new FreshnessEvaluator(Options(), Now, 0).Evaluate(Of(Fresh with { IncompleteSets = 1, OrphanedSets = 1 }));

        result.Hints.Should().HaveCount(2).And.AllSatisfy(h => h.Should().StartWith("duplicity cleanup --archive-dir /var/cache/duplicity --force sftp://backup@host/srv/b"));
    }

    /// <summary>The process-table lookup the reading offers: asked only when a running backup could change the verdict.</summary>
    public static IEnumerable<TestCaseData> RunningLookups()
    {
        yield return new TestCaseData(Fresh, false, ServiceState.Ok).SetArgDisplayNames("fresh: not asked");
        yield return new TestCaseData(Backup("be2f", Primary(Full(30))), true, ServiceState.Warning).SetArgDisplayNames("stale: asked");
        yield return new TestCaseData(Fresh with { IncompleteSets = 1 }, true, ServiceState.Ok).SetArgDisplayNames("an incomplete set: asked, it is the running backup's");
        yield return new TestCaseData(Backup("be2f"), true, ServiceState.Critical).SetArgDisplayNames("no complete backup: asked");
        yield return new TestCaseData(Backup("be2f", Primary(Full(30))) with { Lock = Holder(5) }, false, ServiceState.Warning).SetArgDisplayNames("a lock already known: not asked");
    }

    [TestCaseSource(nameof(RunningLookups))]
    public void The_running_backup_is_looked_up_only_when_it_could_change_the_verdict(BackupCollection collection, bool asked, ServiceState state)
    {
        var lookup = new Lazy<LockHolder?>(() => Holder(20));

        var result = new FreshnessEvaluator(Options(), Now, 0).Evaluate(new FreshnessReading { Collections = [collection], RunningBackup = lookup });

        lookup.IsValueCreated.Should().Be(asked);
        result.State.Should().Be(state, result.Summary);
        if (asked || collection.Lock is not null) result.Summary.Should().Contain("backup in progress since");
        else result.Summary.Should().NotContain("in progress");
    }
}
