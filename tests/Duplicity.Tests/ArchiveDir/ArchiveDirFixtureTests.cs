using System.Text.Json;
using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// Every recorded archive-dir listing of every version, rebuilt in a temporary folder and scanned, must agree
/// with the step's facts (manifest-duplicity-VERSION.json): the complete sets (the destination's, plus
/// manifests deleted there by hand that the cache still has until the next run syncs it), the last complete
/// backup, the sets a backup step created, <c>.part</c> manifests as incomplete sets (a killed backup's set never
/// counts as complete), volumes, and, for collection-status steps, duplicity's own chains and orphan count.
/// </summary>
public partial class ArchiveDirFixtureTests
{
    // The cache of the host that ran the backups: /var/cache/duplicity[-VERSION]/<md5>. The "-monitor",
    // "-nagios" and "-fresh" caches of other steps are filled only by syncing and only hold a subset.
    [GeneratedRegex(@"^/var/cache/duplicity(-\d+\.\d+\.\d+)?/[0-9a-f]{32}$")]
    private static partial Regex BackupHostCache();

    [GeneratedRegex(@"^[0-9a-f]{32}$")]
    private static partial Regex Md5Folder();

    public static IEnumerable<TestCaseData> Listings()
    {
        foreach (var (version, scenario, step) in Manifest.AllSteps())
        {
            var name = step.GetProperty("step").GetString()!;
            var dir = Manifest.StepDirectory(version, scenario, name);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "ls-var_cache*.txt").Order(StringComparer.Ordinal))
            {
                if (!Md5Folder().IsMatch(CacheListing.Read(file).FolderName)) continue; // base-dir listings: own tests
                yield return new TestCaseData(version, scenario, name, Path.GetFileName(file)).SetArgDisplayNames(version, scenario, name, Path.GetFileName(file));
            }
        }
    }

    [Test]
    public void There_is_a_listing_for_every_version() =>
        Listings().Select(t => (string)t.Arguments[0]!).Distinct().Should().HaveCount(RepoPaths.VersionDirectories.Count());

    [TestCaseSource(nameof(Listings))]
    public void Archive_dir_agrees_with_the_step_facts(string version, string scenario, string step, string listingFile)
    {
        var facts = new StepFacts(version, scenario, step);
        var listing = CacheListing.Read(Path.Combine(Manifest.StepDirectory(version, scenario, step), listingFile));
        using var tree = new TempTree();
        var baseDir = tree.Dir("cache");
        var folder = listing.FolderName;

        if (!listing.Exists)
        {
            facts.NoSuccessfulBackupSoFar.Should().BeTrue("a cache folder is missing only when no backup ever ran");
            var missing = () => ArchiveDirScanner.Scan(baseDir, name: folder, procRoot: tree.ProcRoot);
            missing.Should().Throw<CheckException>().WithMessage($"archive dir {Path.Combine(baseDir, folder)} does not exist");
            return;
        }

        var written = CacheRebuilder.Rebuild(listing, Path.Combine(baseDir, folder), facts.VolumesOf);
        var url = facts.DestinationUrl is { } u && !facts.CommandHasName && BackupName.FromUrl(u) == folder ? u : null;
        var backups = ArchiveDirScanner.Scan(baseDir, name: url is null ? folder : null, destinationUrl: url,
            procRoot: tree.ProcRoot, volumes: VolumeCounting.AllChains);

        backups.Should().ContainSingle();
        var backup = backups[0];
        var c = backup.Collection;
        (c.Name, c.Source, c.SourceDescription).Should().Be((folder, BackupSourceKind.ArchiveDir, Path.Combine(baseDir, folder)));
        backup.HasDuplicityFiles.Should().Be(listing.Entries.Any(e => ArchiveFileName.Parse(e.Name) is not null));

        // .part manifests are incomplete sets, and never complete ones.
        var parts = facts.ArchiveDirPartManifests;
        c.IncompleteSetList.Select(StepFacts.Key).Should().BeEquivalentTo(parts);
        c.IncompleteSets.Should().Be(parts.Count);
        c.IncompleteSetList.Should().NotContain(s => s.Complete);
        var chained = c.AllSets.Select(StepFacts.Key).ToList();
        chained.Should().NotIntersectWith(parts);
        c.AllSets.Should().NotContain(s => !s.Complete);
        if (facts.Killed) parts.Should().NotBeEmpty("a killed backup leaves its .part manifest");

        // Complete sets: those at the destination; on the backup host's cache also the manifests deleted there
        // by hand since the last run (the cache has not synced yet); other caches hold a synced subset.
        var destination = facts.DestinationCompleteSets;
        if (destination is null) facts.NoSuccessfulBackupSoFar.Should().BeTrue("no destination listing means no backup ever succeeded");
        var hostCache = BackupHostCache().IsMatch(listing.ListedPath);
        var expected = (destination ?? []).Concat(hostCache ? facts.DeletedAtDestinationSinceLastSync : []).Distinct().ToList();
        chained.Should().OnlyHaveUniqueItems().And.BeSubsetOf(expected);
        if (hostCache)
        {
            (chained.Count + c.OrphanedSets + backup.SupersededSets.Count).Should().Be(expected.Count);
            var newest = expected.Select(TimeOf).DefaultIfEmpty().Max();
            (c.LastCompleteBackup?.Time ?? default).Should().Be(newest, "the last complete backup is the newest final manifest");
        }

        // A backup step's own new set is the last complete backup; a killed run's set never is.
        if (hostCache && facts.NewCompleteSets is { } created)
        {
            if (created.Count > 0) c.LastCompleteBackup!.Time.ToUnixTimeSeconds().Should().Be(created.Max(s => s.Epoch));
            if (c.LastCompleteBackup is { } last) parts.Should().NotContain(StepFacts.Key(last));
        }

        // Volumes come from the manifests written with the facts' counts.
        var writtenBySet = written.ToDictionary(w => StepFacts.Key(ArchiveFileName.Parse(w.Key)!.Value), w => w.Value);
        foreach (var set in c.AllSets.Concat(c.IncompleteSetList))
            set.Volumes.Should().Be(writtenBySet.GetValueOrDefault(StepFacts.Key(set)), StepFacts.Key(set));

        if (hostCache && facts.CollectionStatus is { } cs && facts.DeletedAtDestinationSinceLastSync.Count == 0)
            AgreesWithCollectionStatus(c, cs, parts);

        // A lockfile nobody holds (the fake /proc/locks is empty) is no lock.
        backup.LockFilePresent.Should().Be(listing.Entries.Any(e => e.Name == "lockfile"));
        c.Lock.Should().BeNull();
        backup.StaleLockFile.Should().Be(backup.LockFilePresent);
    }

    /// <summary>
    /// duplicity on the backup host reads the cache's .part manifests as if they were final (the truth rule
    /// this code exists for), so its chains minus those sets must be ours, set by set, with the same volumes.
    /// </summary>
    private static void AgreesWithCollectionStatus(BackupCollection c, JsonElement cs, IReadOnlyList<string> parts)
    {
        var theirs = cs.GetProperty("chains").EnumerateArray()
            .Select(chain => (
                Kind: chain.GetProperty("kind").GetString(),
                HadPart: chain.GetProperty("sets").EnumerateArray().Any(s => parts.Contains(SetKey(s))),
                Sets: chain.GetProperty("sets").EnumerateArray().Select(s => (SetKey(s), s.GetProperty("volumes").GetInt32()))
                    .Where(s => !parts.Contains(s.Item1)).ToList()))
            .Where(chain => chain.Sets.Count > 0)
            .ToList();
        var ours = c.Chains.Select(chain => chain.Sets.Select(s => (StepFacts.Key(s), s.Volumes)).ToList()).ToList();
        ours.Should().BeEquivalentTo(theirs.Select(t => t.Sets), o => o.WithStrictOrdering());
        var theirPrimaryWasPartial = cs.GetProperty("chains").EnumerateArray().Any(chain =>
            chain.GetProperty("kind").GetString() == "primary" && chain.GetProperty("sets").EnumerateArray().Any(s => parts.Contains(SetKey(s))));
        if (theirPrimaryWasPartial)
        {
            // A killed full on top of a complete chain: duplicity makes the partial chain primary; here it is no
            // chain at all, so the newest complete chain is the primary one.
            if (c.Chains.Count > 0) c.Chains.Select(x => x.Kind).Should().EndWith(ChainKind.Primary).And.ContainSingle(k => k == ChainKind.Primary);
            else c.PrimaryChain.Should().BeNull("a killed first full leaves no complete chain");
        }
        else
        {
            theirs.Select(t => t.Kind == "primary" ? ChainKind.Primary : ChainKind.Secondary).Should().Equal(c.Chains.Select(x => x.Kind));
        }
        c.OrphanedSets.Should().Be(cs.GetProperty("orphaned_sets_num").GetInt32());
    }

    private static string SetKey(JsonElement set) => $"{set.GetProperty("type").GetString()} {set.GetProperty("time_utc").GetString()}";

    private static DateTimeOffset TimeOf(string key)
    {
        DuplicityTime.TryParse(key.Split(' ')[1], out var time).Should().BeTrue();
        return time;
    }

    [Test]
    public void Folder_name_is_md5_of_the_url_as_typed_in_every_recorded_command()
    {
        var checkedSteps = 0;
        foreach (var data in Listings())
        {
            var (version, scenario, step, file) = ((string)data.Arguments[0]!, (string)data.Arguments[1]!, (string)data.Arguments[2]!, (string)data.Arguments[3]!);
            var facts = new StepFacts(version, scenario, step);
            if (facts.DestinationUrl is not { } url || facts.CommandHasName) continue;
            CacheListing.Read(Path.Combine(Manifest.StepDirectory(version, scenario, step), file)).FolderName
                .Should().Be(BackupName.FromUrl(url), $"{version}/{scenario}/{step}");
            checkedSteps++;
        }
        checkedSteps.Should().BeGreaterThan(300);
    }

    [Test]
    public void Base_dir_holding_only_an_empty_backup_folder_is_one_backup_without_duplicity_files()
    {
        var stepDir = Manifest.StepDirectory("0.8.22", "no-backups-empty-target", "01-collection-status");
        var listing = CacheListing.Read(Path.Combine(stepDir, "ls-var_cache_duplicity.txt"));
        listing.Entries.Should().ContainSingle().Which.IsDirectory.Should().BeTrue();
        using var tree = new TempTree();
        var baseDir = tree.Dir("duplicity");
        CacheRebuilder.Rebuild(listing, baseDir, _ => null);

        var backups = ArchiveDirScanner.Scan(baseDir, procRoot: tree.ProcRoot);

        var only = backups.Should().ContainSingle().Subject;
        only.HasDuplicityFiles.Should().BeFalse();
        only.Collection.Name.Should().Be("duplicity");
        only.Collection.Chains.Should().BeEmpty();
        only.Collection.LastCompleteBackup.Should().BeNull();
        only.Collection.Warnings.Should().ContainSingle().Which.Should().Contain("holds no duplicity files");

        // The same folder reached by its URL: it exists, so it is that backup, also without files.
        var url = new StepFacts("0.8.22", "no-backups-empty-target", "01-collection-status").DestinationUrl!;
        var byUrl = ArchiveDirScanner.Scan(baseDir, destinationUrl: url, procRoot: tree.ProcRoot).Should().ContainSingle().Subject;
        byUrl.Collection.Name.Should().Be(listing.Entries[0].Name);
        byUrl.HasDuplicityFiles.Should().BeFalse();
    }

    [Test]
    public void Auto_discovery_finds_every_recorded_backup_of_a_version_as_its_own_collection()
    {
        // The last listing of every scenario of 3.1.0 (one archive dir, one folder per destination), rebuilt side by side.
        using var tree = new TempTree();
        var baseDir = tree.Dir("duplicity-3.1.0");
        var expected = new Dictionary<string, int>();
        foreach (var group in Listings().Where(d => (string)d.Arguments[0]! == "3.1.0").GroupBy(d => (string)d.Arguments[3]!))
        {
            var last = group.Last();
            var (scenario, step) = ((string)last.Arguments[1]!, (string)last.Arguments[2]!);
            var listing = CacheListing.Read(Path.Combine(Manifest.StepDirectory("3.1.0", scenario, step), group.Key));
            if (!listing.Exists || !BackupHostCache().IsMatch(listing.ListedPath)) continue;
            CacheRebuilder.Rebuild(listing, Path.Combine(baseDir, listing.FolderName), new StepFacts("3.1.0", scenario, step).VolumesOf);
            var manifests = listing.Entries.Count(e => ArchiveFileName.Parse(e.Name) is { Kind: ArchiveFileKind.Manifest, Partial: false });
            if (listing.Entries.Any(e => ArchiveFileName.Parse(e.Name) is not null)) expected[listing.FolderName] = manifests;
        }
        expected.Count.Should().BeGreaterThan(5);

        var backups = ArchiveDirScanner.Scan(baseDir, procRoot: tree.ProcRoot);

        backups.Select(b => b.Collection.Name).Should().Equal(expected.Keys.Order(StringComparer.Ordinal));
        foreach (var b in backups)
            (b.Collection.BackupSets + b.Collection.OrphanedSets).Should().Be(expected[b.Collection.Name], b.Collection.Name);
    }
}
