using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>The installed duplicity (Debian's 0.8.22) backs up into a temporary file:// target; the scanner reads its real cache.</summary>
[Category("RealComponent")]
public class RealDuplicityArchiveDirTests
{
    private const string Duplicity = "/usr/bin/duplicity";

    [Test]
    public void Full_and_incremental_made_by_real_duplicity_are_read_from_its_cache()
    {
        Assume.That(File.Exists(Duplicity), "duplicity is installed on the test machine");
        using var tree = new TempTree();
        var source = tree.Dir("src");
        File.WriteAllText(Path.Combine(source, "a.txt"), "first");
        var target = tree.Dir("target");
        var cache = tree.Dir("cache");
        var url = "file://" + target;
        var env = new Dictionary<string, string?> { ["HOME"] = tree.Root, ["TZ"] = "UTC", ["LANG"] = "C.UTF-8", ["PASSPHRASE"] = null };

        Run(["full", "--no-encryption", "--archive-dir", cache, source, url], env);
        File.WriteAllText(Path.Combine(source, "b.txt"), "second");
        Run(["incremental", "--no-encryption", "--archive-dir", cache, source, url], env);

        var b = ArchiveDirScanner.Scan(cache, destinationUrl: url).Should().ContainSingle().Subject;
        var c = b.Collection;

        // The destination's manifest names are the truth for complete sets.
        var atDestination = Directory.EnumerateFiles(target).Select(Path.GetFileName)
            .Select(n => ArchiveFileName.Parse(n!)).Where(n => n is { Kind: ArchiveFileKind.Manifest, Partial: false })
            .Select(n => (n!.Value.Type, n.Value.Time)).Order().ToList();
        atDestination.Should().HaveCount(2);
        c.AllSets.Select(s => (s.Type, s.Time)).Should().Equal(atDestination);
        c.Chains.Should().ContainSingle().Which.Kind.Should().Be(ChainKind.Primary);
        c.AllSets.Should().OnlyContain(s => s.Volumes == 1 && s.Complete);
        (c.IncompleteSets, c.OrphanedSets, c.Warnings.Count, c.Lock).Should().Be((0, 0, 0, null));
        b.LockFilePresent.Should().BeFalse("0.8+ deletes the lockfile on a clean exit");
        c.AllSets.Last().StartTime.Should().Be(c.AllSets.First().Time);
    }

    private static void Run(string[] args, IReadOnlyDictionary<string, string?> env)
    {
        var r = ProcessRun.Run(Duplicity, args, env, TimeSpan.FromMinutes(3));
        r.ExitCode.Should().Be(0, r.Stdout + r.Stderr);
    }
}
