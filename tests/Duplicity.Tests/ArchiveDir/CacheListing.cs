namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>
/// A recorded <c>ls -la --time-style=full-iso DIR</c> (the fixtures' <c>ls-*.txt</c>): the directory it listed,
/// whether it existed, and its entries (name, directory or file, size).
/// </summary>
public sealed record CacheListing(string ListedPath, bool Exists, IReadOnlyList<CacheListing.Entry> Entries)
{
    public sealed record Entry(string Name, bool IsDirectory, long Size);

    public static CacheListing Read(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0];
        if (!header.StartsWith("$ ls ", StringComparison.Ordinal)) throw new InvalidDataException($"{file}: not an ls capture");
        var listed = header.Split(' ')[^1];
        if (lines.Any(l => l.StartsWith("ls: cannot access", StringComparison.Ordinal))) return new CacheListing(listed, false, []);
        var entries = new List<Entry>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0 || line.StartsWith("total ", StringComparison.Ordinal)) continue;
            // perms links user group size date time zone name (names here have no spaces)
            var f = line.Split(' ', 9, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 9) throw new InvalidDataException($"{file}: unexpected line '{line}'");
            if (f[8] is "." or "..") continue;
            entries.Add(new Entry(f[8], f[0][0] == 'd', long.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture)));
        }
        return new CacheListing(listed, true, entries);
    }

    public static IEnumerable<string> FileNamesIn(string file) => Read(file).Entries.Where(e => !e.IsDirectory).Select(e => e.Name);

    /// <summary>The last path element: the md5 / --name folder for a per-backup listing.</summary>
    public string FolderName => Path.GetFileName(ListedPath);
}
