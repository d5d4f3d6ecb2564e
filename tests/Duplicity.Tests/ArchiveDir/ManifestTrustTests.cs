using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// Issue 15 item 6: a 0-byte manifest or a manifest symlink loop counted as a complete full ("OK ... volumes=0"),
/// and a sibling folder whose name is not UTF-8 made archive-dir discovery fail. A final manifest proves a
/// finished set only when it is a file of its own that lists volumes; otherwise the set is incomplete, and why
/// is said.
/// </summary>
public class ManifestTrustTests
{
    private const string OldFull = "duplicity-full.20261126T101233Z.manifest";
    private const string NewFull = "duplicity-full.20261127T101233Z.manifest";
    private static readonly DateTimeOffset OldTime = new(2026, 11, 26, 10, 12, 33, TimeSpan.Zero);

    private static string Folder(TempTree tree)
    {
        var dir = tree.Dir("cache", "n");
        tree.File_($"cache/n/{OldFull}", CacheRebuilder.ManifestText(3));
        tree.File_("cache/n/duplicity-full-signatures.20261126T101233Z.sigtar.gz");
        tree.File_("cache/n/duplicity-full-signatures.20261127T101233Z.sigtar.gz");
        return dir;
    }

    private static void ExpectIncomplete(string dir, TempTree tree, string why)
    {
        var c = ArchiveDirScanner.Scan(dir, procRoot: tree.ProcRoot).Single().Collection;
        c.LastCompleteBackup!.Time.Should().Be(OldTime, "the newest full did not finish");
        (c.Chains.Count, c.IncompleteSets, c.Volumes).Should().Be((1, 1, 3));
        c.Warnings.Should().Contain($"manifest {NewFull} in {dir} {why}: its set is not counted as complete");
    }

    [Test]
    public void An_empty_manifest_is_no_complete_full()
    {
        using var tree = new TempTree();
        var dir = Folder(tree);
        tree.File_($"cache/n/{NewFull}");
        ExpectIncomplete(dir, tree, "is empty");
    }

    [Test]
    public void A_manifest_symlink_loop_is_no_complete_full()
    {
        using var tree = new TempTree();
        var dir = Folder(tree);
        File.CreateSymbolicLink(Path.Combine(dir, NewFull), NewFull);
        ExpectIncomplete(dir, tree, "is a symbolic link");
    }

    [Test]
    public void A_manifest_linked_to_a_real_one_is_no_complete_full()
    {
        using var tree = new TempTree();
        var dir = Folder(tree);
        var elsewhere = tree.File_("elsewhere.manifest", CacheRebuilder.ManifestText(5));
        File.CreateSymbolicLink(Path.Combine(dir, NewFull), elsewhere);
        ExpectIncomplete(dir, tree, "is a symbolic link");
    }

    [Test]
    public void A_manifest_that_lists_no_volume_is_no_complete_full()
    {
        using var tree = new TempTree();
        var dir = Folder(tree);
        tree.File_($"cache/n/{NewFull}", "Hostname backup\nLocaldir /srv\n");
        ExpectIncomplete(dir, tree, "lists no volume");
    }

    [Test]
    public void A_manifest_opened_through_a_link_is_not_read()
    {
        using var tree = new TempTree();
        var real = tree.File_("real.manifest", CacheRebuilder.ManifestText(5));
        var link = Path.Combine(tree.Root, "link.manifest");
        File.CreateSymbolicLink(link, real);

        ManifestVolumes.Count(real).Should().Be(5);
        ManifestVolumes.Count(link).Should().BeNull("O_NOFOLLOW");
    }

    [Test]
    public void A_sibling_folder_whose_name_is_not_utf8_is_skipped_by_discovery()
    {
        using var tree = new TempTree();
        var dir = Folder(tree);
        tree.File_($"cache/n/{NewFull}", CacheRebuilder.ManifestText(2));
        var baseDir = Path.GetDirectoryName(dir)!;
        // .NET cannot spell such a name; Debian's python3 (duplicity's) makes the folder from bytes.
        ProcessRun.Run("/usr/bin/python3", ["-c", "import os, sys; os.mkdir(os.fsencode(sys.argv[1]) + b'/f\\xffo')", baseDir]).ExitCode.Should().Be(0);
        Directory.EnumerateDirectories(baseDir).Should().Contain(d => d.Contains('\uFFFD'), "the name reads back with U+FFFD");

        var found = ArchiveDirScanner.Scan(baseDir, procRoot: tree.ProcRoot);

        found.Should().ContainSingle().Which.Collection.Volumes.Should().Be(2);
    }
}
