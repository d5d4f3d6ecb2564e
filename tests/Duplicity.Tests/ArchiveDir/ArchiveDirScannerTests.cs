using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

public class ArchiveDirScannerTests
{
    private const string Url = "file:///var/backups/chain";
    private static readonly string Md5 = BackupName.FromUrl(Url);

    private static void Backup(string dir, int fullVolumes = 3)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "duplicity-full.20261126T101233Z.manifest"), CacheRebuilder.ManifestText(fullVolumes));
        File.WriteAllText(Path.Combine(dir, "duplicity-full-signatures.20261126T101233Z.sigtar.gz"), "");
        File.WriteAllText(Path.Combine(dir, "duplicity-inc.20261126T101233Z.to.20261126T101239Z.manifest"), CacheRebuilder.ManifestText(1));
        File.WriteAllText(Path.Combine(dir, "duplicity-new-signatures.20261126T101233Z.to.20261126T101239Z.sigtar.gz"), "");
    }

    [Test]
    public void Md5_of_the_url_as_typed_names_the_folder()
    {
        // The folder duplicity 0.8.22 used for this URL in the interrupted-backup fixture (and `printf %s URL | md5sum`).
        BackupName.FromUrl("file:///var/backups/interrupted").Should().Be("92fe8aa7d547148d111ac25b7a70d272");
        BackupName.FromUrl("file:///srv/t/tgt").Should().Be("477639cbc1224f552e00604923093697");
        BackupName.FromUrl("file:///srv/t/tgt/").Should().Be("ed56a5d68845517ae9f1f537a8bce03a", "no normalisation");
        BackupName.Resolve("mine", "file:///srv/t/tgt").Should().Be("mine");
        BackupName.Resolve(null, "file:///srv/t/tgt").Should().Be("477639cbc1224f552e00604923093697");
        BackupName.Resolve("", null).Should().BeNull();
    }

    [Test]
    public void Scans_the_folder_named_by_the_url_and_builds_the_chain()
    {
        using var tree = new TempTree();
        Backup(tree.Dir("cache", Md5));
        var b = ArchiveDirScanner.Scan(Path.Combine(tree.Root, "cache"), destinationUrl: Url, procRoot: tree.ProcRoot).Should().ContainSingle().Subject;
        var c = b.Collection;
        (c.Name, c.Source, c.SourceDescription).Should().Be((Md5, BackupSourceKind.ArchiveDir, Path.Combine(tree.Root, "cache", Md5)));
        c.Chains.Should().ContainSingle().Which.Kind.Should().Be(ChainKind.Primary);
        (c.BackupSets, c.Volumes, c.IncompleteSets, c.OrphanedSets).Should().Be((2, 4, 0, 0));
        c.LastCompleteBackup!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 12, 39, TimeSpan.Zero));
        c.LastCompleteFull!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 12, 33, TimeSpan.Zero));
        c.Warnings.Should().BeEmpty();
        (b.HasDuplicityFiles, b.DuplicityFiles, b.LockFilePresent, b.LegacyLockFilePresent).Should().Be((true, 4, false, false));
    }

    [Test]
    public void Name_wins_over_the_url_and_a_trailing_slash_on_the_archive_dir_is_fine()
    {
        using var tree = new TempTree();
        Backup(tree.Dir("cache", "assets"));
        var b = ArchiveDirScanner.Scan(Path.Combine(tree.Root, "cache") + "/", name: "assets", destinationUrl: Url, procRoot: tree.ProcRoot).Single();
        b.Collection.Name.Should().Be("assets");
        b.Collection.BackupSets.Should().Be(2);
    }

    [Test]
    public void An_archive_dir_that_holds_manifests_itself_is_the_backup_folder()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", Md5);
        Backup(dir);
        // -A pointed at the per-backup folder: with the name (whose subfolder does not exist) and without.
        ArchiveDirScanner.Scan(dir, destinationUrl: Url, procRoot: tree.ProcRoot).Single().Collection.Name.Should().Be(Md5);
        ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection.BackupSets.Should().Be(2);
    }

    [Test]
    public void Without_name_or_url_every_subfolder_with_duplicity_files_is_a_backup()
    {
        using var tree = new TempTree();
        Backup(tree.Dir("cache", "bbb"));
        Backup(tree.Dir("cache", "aaa"), fullVolumes: 7);
        tree.Dir("cache", "empty");
        tree.File_("cache/only-lock/lockfile");
        tree.File_("cache/notes.txt", "hello");

        var found = ArchiveDirScanner.Scan(Path.Combine(tree.Root, "cache"), procRoot: tree.ProcRoot);

        found.Select(b => b.Collection.Name).Should().Equal("aaa", "bbb");
        found[0].Collection.Volumes.Should().Be(8);
    }

    [Test]
    public void Without_any_duplicity_files_it_is_one_backup_that_says_so()
    {
        using var tree = new TempTree();
        tree.File_("cache/x/lockfile");
        tree.File_("cache/x/progress", "pickle");
        var only = ArchiveDirScanner.Scan(Path.Combine(tree.Root, "cache", "x"), procRoot: tree.ProcRoot).Should().ContainSingle().Subject;
        only.HasDuplicityFiles.Should().BeFalse();
        only.Collection.Chains.Should().BeEmpty();
        only.Collection.LastCompleteBackup.Should().BeNull();
        only.Collection.Warnings.Should().ContainSingle().Which.Should().Be(
            $"archive dir {Path.Combine(tree.Root, "cache", "x")} holds no duplicity files (no backup was made with this archive dir and name, or it is the wrong folder)");
        only.StaleLockFile.Should().BeTrue();
    }

    [Test]
    public void A_missing_archive_dir_is_a_check_error()
    {
        var act = () => ArchiveDirScanner.Scan("/nonexistent/archive");
        act.Should().Throw<CheckException>().WithMessage("archive dir /nonexistent/archive does not exist");
    }

    [Test]
    public void A_missing_backup_folder_names_the_path_and_how_the_name_was_made()
    {
        using var tree = new TempTree();
        var cache = tree.Dir("cache");
        var byUrl = () => ArchiveDirScanner.Scan(cache, destinationUrl: Url, procRoot: tree.ProcRoot);
        byUrl.Should().Throw<CheckException>().WithMessage(
            $"archive dir {cache}/{Md5} does not exist (the name is md5 of the destination URL exactly as typed; set --name if the job uses one)");
        var byName = () => ArchiveDirScanner.Scan(cache, name: "db", procRoot: tree.ProcRoot);
        byName.Should().Throw<CheckException>().WithMessage($"archive dir {cache}/db does not exist");
    }

    [Test]
    public void A_file_instead_of_a_directory_is_a_check_error()
    {
        using var tree = new TempTree();
        var file = tree.File_("cache", "");
        var act = () => ArchiveDirScanner.Scan(file, procRoot: tree.ProcRoot);
        act.Should().Throw<CheckException>().WithMessage($"archive dir {file} is not a directory");
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void An_unreadable_archive_dir_says_permission_denied()
    {
        Assume.That(Environment.UserName, Is.Not.EqualTo("root"), "root reads every directory");
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "locked");
        File.SetUnixFileMode(dir, UnixFileMode.None);
        try
        {
            var act = () => ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot);
            act.Should().Throw<CheckException>().WithMessage($"archive dir {dir}: permission denied (run as the backup user or with --sudo-user)");
            var below = () => ArchiveDirScanner.Scan(Path.Combine(dir, "inner"), procRoot: tree.ProcRoot);
            below.Should().Throw<CheckException>().WithMessage("*permission denied*");
        }
        finally
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Test]
    public void A_partial_manifest_is_an_incomplete_set_with_its_volumes_and_never_the_last_backup()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        Backup(dir);
        File.WriteAllText(Path.Combine(dir, "duplicity-inc.20261126T101239Z.to.20261126T101300Z.manifest.part"), CacheRebuilder.ManifestText(2, withFileList: false));
        File.WriteAllText(Path.Combine(dir, "duplicity-new-signatures.20261126T101239Z.to.20261126T101300Z.sigtar.part"), "");

        var c = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection;

        c.IncompleteSets.Should().Be(1);
        c.IncompleteSetList.Should().ContainSingle().Which.Should().Be(new BackupSet(BackupSetType.Incremental,
            new DateTimeOffset(2026, 11, 26, 10, 13, 0, TimeSpan.Zero), 2, Complete: false, StartTime: new DateTimeOffset(2026, 11, 26, 10, 12, 39, TimeSpan.Zero)));
        c.BackupSets.Should().Be(2);
        c.LastCompleteBackup!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 12, 39, TimeSpan.Zero));
    }

    [Test]
    public void A_killed_full_on_top_of_a_complete_chain_leaves_that_chain_primary()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        Backup(dir);
        tree.File_("cache/n/duplicity-full.20261126T110000Z.manifest.part", CacheRebuilder.ManifestText(6, withFileList: false));
        tree.File_("cache/n/duplicity-full-signatures.20261126T110000Z.sigtar.part");

        var c = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection;

        c.PrimaryChain!.Start.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 12, 33, TimeSpan.Zero));
        c.IncompleteSetList.Should().ContainSingle().Which.Should().Match<BackupSet>(s => s.IsFull && s.Volumes == 6 && !s.Complete);
        c.LastCompleteFull!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 12, 33, TimeSpan.Zero));
    }

    [Test]
    public void Same_set_with_final_and_part_manifest_is_complete()
    {
        // The moment between writing the final name and removing the .part one.
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        Backup(dir);
        tree.File_("cache/n/duplicity-inc.20261126T101233Z.to.20261126T101239Z.manifest.part");
        var c = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection;
        (c.BackupSets, c.IncompleteSets).Should().Be((2, 0));
    }

    [Test]
    public void Orphaned_incrementals_are_counted()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        Backup(dir);
        tree.File_("cache/n/duplicity-inc.20261126T101245Z.to.20261126T101250Z.manifest", CacheRebuilder.ManifestText(1));
        var c = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection;
        (c.BackupSets, c.OrphanedSets).Should().Be((2, 1));
        c.LastCompleteBackup!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 12, 39, TimeSpan.Zero), "an orphan is in no chain");
    }

    [Test]
    public void Volume_counting_reads_the_primary_chain_by_default_all_chains_or_none_on_request()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        Backup(dir);
        tree.File_("cache/n/duplicity-full.20261127T101233Z.manifest", CacheRebuilder.ManifestText(5));
        tree.File_("cache/n/duplicity-full-signatures.20261127T101233Z.sigtar.gz");

        ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection.Chains.Select(c => c.Volumes).Should().Equal(0, 5);
        ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot, volumes: VolumeCounting.AllChains).Single().Collection.Chains.Select(c => c.Volumes).Should().Equal(4, 5);
        ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot, volumes: VolumeCounting.None).Single().Collection.Volumes.Should().Be(0);
    }

    [Test]
    public void Newest_chain_without_its_full_signatures_is_reported()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        tree.File_("cache/n/duplicity-full.20261127T101233Z.manifest", CacheRebuilder.ManifestText(1));
        ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection.Warnings.Should().ContainSingle()
            .Which.Should().Be($"the newest chain (full of 20261127T101233Z) has no duplicity-full-signatures file in {dir}");
    }

    [Test]
    public void Unreadable_manifest_counts_zero_volumes_and_says_so()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        tree.File_("cache/n/duplicity-full.20261127T101233Z.manifest.gpg", "\u0085\u0002encrypted");
        tree.File_("cache/n/duplicity-full-signatures.20261127T101233Z.sigtar.gpg");
        var c = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection;
        c.Volumes.Should().Be(0);
        c.AllSets.Single().Encrypted.Should().BeTrue();
        c.Warnings.Should().ContainSingle().Which.Should().StartWith("1 manifest(s) in");
    }

    [Test]
    public void Legacy_0_7_lockfile_lock_is_a_warning_not_a_running_backup()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        Backup(dir);
        tree.File_("cache/n/lockfile.lock");
        var b = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single();
        b.LegacyLockFilePresent.Should().BeTrue();
        b.Collection.Lock.Should().BeNull();
        b.Collection.Warnings.Should().ContainSingle().Which.Should().Contain("lockfile.lock exists (duplicity 0.7.0-0.7.12 lock)");
    }

    [Test]
    public void Short_names_and_prefixed_names_build_chains_too()
    {
        using var tree = new TempTree();
        var dir = tree.Dir("cache", "n");
        tree.File_("cache/n/host1-duplicity-full.20261126T101233Z.manifest", CacheRebuilder.ManifestText(2));
        tree.File_("cache/n/host1-duplicity-full-signatures.20261126T101233Z.sigtar.gz");
        tree.File_("cache/n/host1-duplicity-inc.20261126T101233Z.to.20261126T101239Z.manifest", CacheRebuilder.ManifestText(1));
        var c = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection;
        (c.BackupSets, c.Volumes).Should().Be((2, 3));

        var shortDir = tree.Dir("cache", "s");
        var t = new DateTimeOffset(2026, 11, 26, 10, 12, 33, TimeSpan.Zero).ToUnixTimeSeconds();
        tree.File_($"cache/s/df.{ToBase36(t)}.m", CacheRebuilder.ManifestText(1));
        tree.File_($"cache/s/dfs.{ToBase36(t)}.st.z");
        tree.File_($"cache/s/di.{ToBase36(t)}.{ToBase36(t + 6)}.m", CacheRebuilder.ManifestText(1));
        var s = ArchiveDirScanner.Scan(shortDir, procRoot: tree.ProcRoot).Single().Collection;
        s.Chains.Single().Sets.Select(x => x.Time.ToUnixTimeSeconds()).Should().Equal(t, t + 6);
    }

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var s = "";
        do
        {
            s = digits[(int)(value % 36)] + s;
            value /= 36;
        } while (value > 0);
        return s;
    }
}
