using System.Text;
using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Tests.ArchiveDir;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// Generated bad archive dirs: every file name of every recorded cache and destination listing, damaged
/// (cut at every character, flipped bytes, NUL, invalid UTF-8, impossible times), through
/// <see cref="ArchiveFileNameParser"/>; and generated cache folders (a recorded cache with one name damaged per
/// case, manifests rebuilt) through <see cref="ArchiveDirScanner"/>, whose facts must be the original's, or those of
/// the folder without that file (a name damaged beyond recognition is a file that is not duplicity's, and the cache
/// legitimately loses files: duplicity deletes a .part when the set completes), or no more optimistic, or differ
/// only in the time the damaged name states.
/// </summary>
public class ArchiveDirRobustnessTests
{
    private static readonly string[] BadStamps = ["20260230T100000Z", "00000101T000000Z", "99991231T235959Z", "00010101T000000Z", "20261126T246000Z"];

    public static IEnumerable<string> Listings() => Directory.EnumerateFiles(RepoPaths.Fixtures, "ls-var_*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static IReadOnlyList<string> Names() => Listings().SelectMany(CacheListing.FileNamesIn).Distinct().Order(StringComparer.Ordinal).ToList();

    public static IEnumerable<Mutant> NameCases()
    {
        var i = 0;
        foreach (var name in Names())
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            for (var cut = 0; cut < bytes.Length; cut++)
            {
                var keep = cut;
                yield return new Mutant("truncated", $"'{name}' cut to {keep} bytes", () => bytes[..keep]);
            }
            foreach (var m in Mutator.Of($"'{name}'", bytes, 6000 + i++).Where(m => m.Kind is not "truncated" and not "crlf" and not "empty")) yield return m;
            foreach (var m in Mutator.DateVariants($"'{name}'", bytes, new(@"\d{8}T\d{6}Z"), BadStamps)) yield return m;
        }
    }

    /// <summary>Cache listings of one backup folder (per-backup ls captures), each with one name damaged per case.</summary>
    public static IEnumerable<(CacheListing Listing, int Entry, Mutant Mutant)> FolderCases()
    {
        var listings = Listings().Where(f => Path.GetFileName(f).StartsWith("ls-var_cache_duplicity", StringComparison.Ordinal))
            .Select(CacheListing.Read).Where(l => l.Exists && l.Entries.Count(e => !e.IsDirectory) > 0)
            .DistinctBy(l => string.Join('\n', l.Entries.Select(e => e.Name))).ToList();
        var i = 0;
        foreach (var listing in listings)
        {
            for (var e = 0; e < listing.Entries.Count; e++)
            {
                if (listing.Entries[e].IsDirectory) continue;
                var name = listing.Entries[e].Name;
                var seed = 7000 + i++;
                var mutants = Mutator.Of(name, Encoding.UTF8.GetBytes(name), seed).Where(m => m.Kind is "flipped" or "invalid-utf8").Take(2)
                    .Append(new Mutant("removed", $"{name} removed", () => []));
                foreach (var m in mutants) yield return (listing, e, m);
            }
        }
    }

    [Test]
    public void Every_generated_file_name_parses_or_is_refused()
    {
        var contract = new ParserContract();
        foreach (var m in NameCases())
            contract.Run<ArchiveFileName?>(m, b => ArchiveFileNameParser.TryParse(Encoding.UTF8.GetString(b), out var parsed) ? parsed : null);
        contract.AssertClean("archive-dir names", 2000);
    }

    [Test]
    public void Every_generated_cache_folder_is_scanned_or_refused_and_never_looks_better()
    {
        var contract = new ParserContract();
        var originals = new Dictionary<CacheListing, DuplicityChecks.Duplicity.Model.BackupCollection>();
        var withoutEntry = new Dictionary<(CacheListing, int), string>();
        using var temp = new TempDir();
        var n = 0;
        foreach (var (listing, entry, mutant) in FolderCases())
        {
            if (!originals.TryGetValue(listing, out var original))
                originals[listing] = original = Scan(Build(listing, -1, [], Path.Combine(temp.Path, $"o{n++}")));
            var (verdict, damaged) = contract.Run(mutant, b =>
            {
                var name = Encoding.UTF8.GetString(b);
                if (name.Contains('/') || name.Contains('\0') || name is "." or "..") return null; // not a possible file name
                return Scan(Build(listing, entry, b, Path.Combine(temp.Path, $"m{n++}")));
            });
            if (verdict != Verdict.Parsed || damaged is null) continue;
            if (Facts.Of(damaged) == Facts.Of(original) || CollectionStatusRobustnessTests.NoMoreOptimistic(original, damaged)) continue;
            if (!withoutEntry.TryGetValue((listing, entry), out var removed))
                withoutEntry[(listing, entry)] = removed = Facts.Of(Scan(Build(listing, entry, [], Path.Combine(temp.Path, $"r{n++}"))));
            if (Facts.Of(damaged) == removed) continue;
            if (mutant.Position >= 0 && InsideStamp(listing.Entries[entry].Name, mutant.Position)) continue;
            contract.Violate(mutant, $"facts changed:\n  was {Facts.Of(original)}\n  now {Facts.Of(damaged)}");
        }
        contract.AssertClean("archive-dir folders", 300);
    }

    private static DuplicityChecks.Duplicity.Model.BackupCollection Scan(string dir)
        => ArchiveDirScanner.ScanFolder(dir, "robustness", procRoot: "/nonexistent-proc").Collection;

    /// <summary>The recorded folder with entry <paramref name="damaged"/> renamed to <paramref name="newName"/> (empty: removed).</summary>
    private static string Build(CacheListing listing, int damaged, byte[] newName, string dir)
    {
        var entries = listing.Entries.Select((e, k) => k != damaged ? e : e with { Name = Encoding.UTF8.GetString(newName) })
            .Where(e => e.Name.Length > 0).DistinctBy(e => e.Name).ToList();
        CacheRebuilder.Rebuild(new CacheListing(listing.ListedPath, true, entries), dir, _ => 1);
        return dir;
    }

    private static bool InsideStamp(string name, int position)
        => new System.Text.RegularExpressions.Regex(@"\d{8}T\d{6}Z").Matches(name).Any(m => position >= m.Index && position < m.Index + m.Length);
}
