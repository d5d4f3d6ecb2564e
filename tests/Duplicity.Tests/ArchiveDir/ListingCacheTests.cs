using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.ArchiveDir.Cache;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// The listing cache never changes an answer: for every recorded cache folder, the backup read back from the cache
/// is the one the scan assembles; any change to the folder, or to a manifest whose volumes were read, is a miss;
/// a folder that changed too recently is not cached; a damaged cache file is a miss, never an error; the lock
/// holder is read live.
/// </summary>
public class ListingCacheTests
{
    // Stamps count as settled when the clock is an hour ahead: the tests make their folders just now.
    private static ListingCache Cache(TempTree tree) => new(tree.Dir("state"), clock: () => DateTimeOffset.UtcNow.AddHours(1));

    public static IEnumerable<TestCaseData> Listings() => ArchiveDirFixtureTests.Listings();

    [TestCaseSource(nameof(Listings))]
    public void The_cached_backup_is_the_scanned_backup(string version, string scenario, string step, string listingFile)
    {
        var listing = CacheListing.Read(Path.Combine(Manifest.StepDirectory(version, scenario, step), listingFile));
        if (!listing.Exists) return;
        using var tree = new TempTree();
        var folder = Path.Combine(tree.Dir("cache"), listing.FolderName);
        var facts = new StepFacts(version, scenario, step);
        CacheRebuilder.Rebuild(listing, folder, facts.VolumesOf);
        var cache = Cache(tree);

        foreach (var volumes in new[] { VolumeCounting.PrimaryChain, VolumeCounting.AllChains, VolumeCounting.None })
        {
            var scanned = ArchiveDirScanner.ScanFolder(folder, procRoot: tree.ProcRoot, volumes: volumes);
            var first = ArchiveDirScanner.ScanFolder(folder, procRoot: tree.ProcRoot, volumes: volumes, cache: cache);
            Dump(first).Should().Be(Dump(scanned));
            if (!scanned.HasDuplicityFiles)
            {
                File.Exists(cache.PathFor(folder)).Should().BeFalse("a folder without duplicity files is not cached");
                continue;
            }
            var hit = cache.TryLoad(folder, FileStamp.Of(folder)!.Value, listing.FolderName, volumes);
            hit.Should().NotBeNull("the folder did not change");
            Dump(hit!).Should().Be(Dump(scanned with { Collection = scanned.Collection with { Lock = null } }));
            Dump(ArchiveDirScanner.ScanFolder(folder, procRoot: tree.ProcRoot, volumes: volumes, cache: cache)).Should().Be(Dump(scanned));
        }
    }

    [Test]
    public void An_added_removed_or_renamed_file_is_a_miss()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 2), ("duplicity-full-signatures.20240101T000000Z.sigtar.gz", null));
        var cache = Cache(tree);
        Scan(folder, cache).Collection.IncompleteSets.Should().Be(0);

        Changing(folder, () => File.WriteAllText(Path.Combine(folder, "duplicity-inc.20240101T000000Z.to.20240102T000000Z.manifest.part"), CacheRebuilder.ManifestText(1)));
        Scan(folder, cache).Collection.IncompleteSets.Should().Be(1, "a new .part manifest");

        Changing(folder, () => File.Move(Path.Combine(folder, "duplicity-inc.20240101T000000Z.to.20240102T000000Z.manifest.part"),
            Path.Combine(folder, "duplicity-inc.20240101T000000Z.to.20240102T000000Z.manifest")));
        var renamed = Scan(folder, cache).Collection;
        (renamed.IncompleteSets, renamed.BackupSets).Should().Be((0, 2), "the .part manifest became final");

        Changing(folder, () => File.Delete(Path.Combine(folder, "duplicity-inc.20240101T000000Z.to.20240102T000000Z.manifest")));
        Scan(folder, cache).Collection.BackupSets.Should().Be(1, "the incremental's manifest is gone");
    }

    [Test]
    public void A_manifest_rewritten_in_place_is_a_miss()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 2), ("duplicity-full-signatures.20240101T000000Z.sigtar.gz", null));
        var cache = Cache(tree);
        Scan(folder, cache).Collection.Volumes.Should().Be(2);
        // Rewriting a file changes the file, not its folder: the stamps of the manifests read must catch it.
        Changing(folder, () => File.WriteAllText(Path.Combine(folder, "duplicity-full.20240101T000000Z.manifest"), CacheRebuilder.ManifestText(5)), folderChanges: false);
        Scan(folder, cache).Collection.Volumes.Should().Be(5);
    }

    [Test]
    public void A_folder_changed_within_the_settle_time_is_not_cached()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 1));
        var cache = new ListingCache(tree.Dir("state"), clock: () => DateTimeOffset.UtcNow, settle: TimeSpan.FromMinutes(5));
        Scan(folder, cache);
        File.Exists(cache.PathFor(folder)).Should().BeFalse("the folder was made just now");

        var later = new ListingCache(cache.Directory, clock: () => DateTimeOffset.UtcNow.AddMinutes(6), settle: TimeSpan.FromMinutes(5));
        Scan(folder, later);
        File.Exists(cache.PathFor(folder)).Should().BeTrue("the same folder, once its times are older than the settle time");
    }

    [Test]
    public void Other_volume_counting_is_a_miss()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 3));
        var cache = Cache(tree);
        Scan(folder, cache, VolumeCounting.None).Collection.Volumes.Should().Be(0);
        cache.TryLoad(folder, FileStamp.Of(folder)!.Value, "f", VolumeCounting.PrimaryChain).Should().BeNull();
        Scan(folder, cache, VolumeCounting.PrimaryChain).Collection.Volumes.Should().Be(3);
    }

    [Test]
    public void Every_damaged_cache_file_is_a_miss_and_the_answer_stays_right()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 2), ("duplicity-inc.20240101T000000Z.to.20240102T000000Z.manifest", 1),
            ("duplicity-inc.20240102T000000Z.to.20240103T000000Z.manifest.part", null), ("duplicity-full-signatures.20240101T000000Z.sigtar.gz", null));
        var cache = Cache(tree);
        var expected = Dump(Scan(folder, cache));
        var path = cache.PathFor(folder);
        var good = File.ReadAllBytes(path);
        var stamp = FileStamp.Of(folder)!.Value;

        var damaged = new List<byte[]>();
        for (var length = 0; length < good.Length; length++) damaged.Add(good[..length]);
        for (var i = 0; i < good.Length; i++)
        {
            var flipped = (byte[])good.Clone();
            flipped[i] ^= 0x5a;
            damaged.Add(flipped);
        }
        damaged.Add([.. good, 0]);
        damaged.Add(Encoding.UTF8.GetBytes("# duplicity-checks state v1\n# end\n"));
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var noise = new byte[random.Next(0, 4096)];
            random.NextBytes(noise);
            damaged.Add(noise);
        }

        foreach (var bytes in damaged)
        {
            File.WriteAllBytes(path, bytes);
            cache.TryLoad(folder, stamp, "f", VolumeCounting.PrimaryChain).Should().BeNull();
            Dump(Scan(folder, cache)).Should().Be(expected);
        }
    }

    [Test]
    public void A_forged_payload_with_a_valid_checksum_never_crashes_the_reader()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 2), ("duplicity-inc.20240101T000000Z.to.20240102T000000Z.manifest", 1),
            ("duplicity-inc.20240102T000000Z.to.20240103T000000Z.manifest.part", null));
        var cache = Cache(tree);
        Scan(folder, cache);
        var good = File.ReadAllBytes(cache.PathFor(folder));
        var read = 0;
        for (var i = 20; i < good.Length; i++)
            foreach (var value in new byte[] { 0x00, 0xff, 0x7f, 0x80, (byte)(good[i] ^ 1) })
            {
                var forged = (byte[])good.Clone();
                forged[i] = value;
                if (ListingCacheFormat.Read(ListingCacheFormat.Resealed(forged), "f", out _) is not null) read++;
            }
        for (var length = 20; length < good.Length; length++)
            ListingCacheFormat.Read(ListingCacheFormat.Resealed(good[..length]), "f", out _).Should().BeNull($"cut at {length}");
        read.Should().BeGreaterThan(0, "some forged values are valid entries (the checksum is not a signature)");
    }

    [Test]
    public void A_forged_entry_cannot_name_a_manifest_outside_its_folder()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 2));
        var cache = Cache(tree);
        var backup = Scan(folder, cache);
        var entry = ListingCacheFormat.Read(File.ReadAllBytes(cache.PathFor(folder)), "f", out _)!;
        foreach (var bad in new[] { "../outside.manifest", "", "..", "a/b" })
        {
            var forged = ListingCacheFormat.Write(entry with { Manifests = [(bad, entry.Folder)] });
            ListingCacheFormat.Read(forged, "f", out var reason).Should().BeNull();
            reason.Should().StartWith("unreadable");
        }
        backup.ManifestsRead.Should().Equal("duplicity-full.20240101T000000Z.manifest");
    }

    [Test]
    public void An_unwritable_or_missing_cache_directory_changes_nothing()
    {
        using var tree = new TempTree();
        var folder = Folder(tree, ("duplicity-full.20240101T000000Z.manifest", 2));
        var expected = Dump(ArchiveDirScanner.ScanFolder(folder, procRoot: tree.ProcRoot));
        var missing = new ListingCache(Path.Combine(tree.Root, "no-such-dir"), clock: () => DateTimeOffset.UtcNow.AddHours(1));
        Dump(Scan(folder, missing)).Should().Be(expected);
        Dump(Scan(folder, missing)).Should().Be(expected);
        Directory.Exists(missing.Directory).Should().BeFalse("the cache never creates its directory");
    }

    [Test]
    public void The_lock_holder_is_read_live_not_from_the_cache()
    {
        using var tree = new TempTree();
        var dir = ArchiveLockTests.RebuildCache(tree, ArchiveLockTests.Step("3.1.0", "lock-contention", "03-second-backup-same-archive-dir", "ls-var_cache_duplicity-3.1.0_cf312a12e1991a47e8ffd625283f55e3.txt"));
        var cache = Cache(tree);
        var free = ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot, cache: cache);
        free.Collection.Lock.Should().BeNull();
        File.Exists(cache.PathFor(dir)).Should().BeTrue();

        var recorded = File.ReadAllText(ArchiveLockTests.Step("3.1.0", "lock-contention", "02-proc-locks-while-backup-runs", "stdout.txt"));
        File.WriteAllText(Path.Combine(tree.ProcRoot, "locks"), ArchiveLockTests.RepointedLocks(recorded, Path.Combine(dir, "lockfile")));
        cache.TryLoad(dir, FileStamp.Of(dir)!.Value, "x", VolumeCounting.PrimaryChain).Should().NotBeNull("the folder did not change");
        var held = ArchiveDirScanner.ScanFolder(dir, procRoot: tree.ProcRoot, cache: cache);
        held.Collection.Lock.Should().Be(new LockHolder(18702, Path.Combine(dir, "lockfile")));
        held.StaleLockFile.Should().BeFalse();
    }

    private static ArchiveDirBackup Scan(string folder, ListingCache cache, VolumeCounting volumes = VolumeCounting.PrimaryChain)
        => ArchiveDirScanner.ScanFolder(folder, "f", "/nonexistent-proc", volumes, cache: cache);

    /// <summary>A folder with the named files; a number is a plain manifest with that many volumes.</summary>
    private static string Folder(TempTree tree, params (string Name, int? Volumes)[] files)
    {
        var folder = tree.Dir("cache", "f");
        foreach (var (name, volumes) in files)
            File.WriteAllText(Path.Combine(folder, name), volumes is { } v ? CacheRebuilder.ManifestText(v) : "");
        return folder;
    }

    /// <summary>
    /// Makes a change only once the file system's clock has moved past the folder's (and its files') times: a change
    /// within the same timestamp tick is what the settle time guards against in real use, and the tests fake that
    /// time with a clock an hour ahead.
    /// </summary>
    private static void Changing(string folder, Action change, bool folderChanges = true)
    {
        var newest = Directory.EnumerateFileSystemEntries(folder).Append(folder).Select(p => FileStamp.Of(p)!.Value).Max(Changed);
        var probe = Path.Combine(Path.GetDirectoryName(folder)!, "tick-probe");
        for (var i = 0; i < 10_000; i++)
        {
            File.WriteAllText(probe, "");
            if (Changed(FileStamp.Of(probe)!.Value) > newest) break;
            Thread.Sleep(1);
        }
        File.Delete(probe);
        var before = FileStamp.Of(folder);
        change();
        if (folderChanges) FileStamp.Of(folder).Should().NotBe(before);
    }

    private static decimal Changed(FileStamp s) => s.ChangedSeconds + s.ChangedNanoseconds / 1e9m;

    /// <summary>Every fact of a backup, in one string: two backups with the same dump give the same answers.</summary>
    private static string Dump(ArchiveDirBackup b)
    {
        var c = b.Collection;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{b.Directory}|{b.DuplicityFiles}|{b.PartialFiles}|{b.LockFilePresent}|{b.LegacyLockFilePresent}|{b.StaleLockFile}|{string.Join(",", b.ManifestsRead)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{c.Name}|{c.Source}|{c.SourceDescription}|{c.DuplicityVersion}|{c.IncompleteSets}|{c.OrphanedSets}|{c.NewestSetMayBeIncomplete}|{c.Lock}\n");
        text.Append(CultureInfo.InvariantCulture, $"last {Set(c.LastCompleteBackup)} full {Set(c.LastCompleteFull)} sets {c.BackupSets} volumes {c.Volumes}\n");
        foreach (var w in c.Warnings) text.Append("warning ").Append(w).Append('\n');
        foreach (var chain in c.Chains) text.Append(chain.Kind).Append(": ").AppendJoin(" ", chain.Sets.Select(Set)).Append('\n');
        text.Append("incomplete: ").AppendJoin(" ", c.IncompleteSetList.Select(Set)).Append('\n');
        text.Append("superseded: ").AppendJoin(" ", b.SupersededSets.Select(Set)).Append('\n');
        return text.ToString();
    }

    private static string Set(BackupSet? s) => s is null ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{s.Type}/{s.Time.UtcTicks}/{s.Time.Offset}/{s.StartTime?.UtcTicks}/{s.Volumes}/{s.Encrypted}/{s.Complete}");
}
