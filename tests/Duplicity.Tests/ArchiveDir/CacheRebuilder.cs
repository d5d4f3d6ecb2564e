using System.Text;
using DuplicityChecks.Duplicity.ArchiveDir;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// Rebuilds a recorded cache folder in a temporary directory: the same names, empty files, and for each
/// manifest a plain-text manifest (duplicity-formats.md §5.5) with as many <c>Volume N:</c> entries as a
/// fact knows for its set (the real content is not recorded). Returns what was written per manifest.
/// </summary>
public static class CacheRebuilder
{
    public static Dictionary<string, int> Rebuild(CacheListing listing, string target, Func<ArchiveFileName, int?> volumesOf)
    {
        var written = new Dictionary<string, int>();
        Directory.CreateDirectory(target);
        foreach (var entry in listing.Entries)
        {
            var path = Path.Combine(target, entry.Name);
            if (entry.IsDirectory)
            {
                Directory.CreateDirectory(path);
                continue;
            }
            if (ArchiveFileName.Parse(entry.Name) is { Kind: ArchiveFileKind.Manifest } manifest && volumesOf(manifest) is { } volumes)
            {
                File.WriteAllText(path, ManifestText(volumes, !manifest.Partial));
                written[entry.Name] = volumes;
            }
            else File.WriteAllBytes(path, []);
        }
        return written;
    }

    /// <summary>A cache manifest as duplicity writes it while backing up: volumes first, the file list at the end.</summary>
    public static string ManifestText(int volumes, bool withFileList = true)
    {
        var text = new StringBuilder("Hostname vm\nLocaldir /srv/backup/src\n");
        for (var i = 1; i <= volumes; i++)
        {
            text.Append("Volume ").Append(i).Append(":\n")
                .Append("    StartingPath   blob").Append(i).Append(" 1\n")
                .Append("    EndingPath     blob").Append(i).Append(" 2\n")
                .Append("    Hash SHA1 e7296dfe2b141673ac5075a2c07701f697e5b5a3\n");
        }
        if (withFileList) text.Append("Filelist 2\n    new      Volume 99: a.txt\n    changed  etc/app.conf\n");
        return text.ToString();
    }
}
