using System.IO.Enumeration;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// A manifest found in a folder: its parsed name, its file name (to read the volume count), and what makes it no
/// proof of a finished set when the directory entry already shows it (a symbolic link, an empty file).
/// </summary>
public sealed record ManifestFile(ArchiveFileName Name, string FileName, string? Defect = null);

/// <summary>
/// The names in one archive-dir folder (acquisition). Reads directory entries only: no stat per file, no
/// string per file except manifests, so 100,000 names cost a few milliseconds. Sub-folders are skipped.
/// </summary>
public sealed class ArchiveDirListing
{
    private ArchiveDirListing(string directory) => Directory = directory;

    public string Directory { get; }

    public List<ManifestFile> Manifests { get; } = [];

    /// <summary>Times of the final (not <c>.part</c>) <c>duplicity-full-signatures</c> files.</summary>
    public HashSet<DateTimeOffset> FullSignatures { get; } = [];

    /// <summary>Every file whose name parses as a duplicity file (manifests, signatures, jsonstat, volumes).</summary>
    public int DuplicityFiles { get; private set; }

    /// <summary>Duplicity files with the <c>.part</c> marker (any kind).</summary>
    public int PartialFiles { get; private set; }

    /// <summary>Files that are not duplicity's (for example <c>progress</c> or an operator's notes).</summary>
    public int OtherFiles { get; private set; }

    /// <summary><c>lockfile</c> (0.7.13+): held with a POSIX lock while duplicity runs, may stay after a crash.</summary>
    public bool HasLockFile { get; private set; }

    /// <summary><c>lockfile.lock</c> (0.7.0-0.7.12, python-lockfile): a presence lock that survives a crash.</summary>
    public bool HasLegacyLockFile { get; private set; }

    public bool HasDuplicityFiles => DuplicityFiles > 0;

    public const string LockFileName = "lockfile";
    public const string LegacyLockFileName = "lockfile.lock";

    /// <summary>
    /// Lists <paramref name="directory"/>. Throws <see cref="UnauthorizedAccessException"/>,
    /// <see cref="DirectoryNotFoundException"/> or <see cref="IOException"/> as the file system reports them.
    /// </summary>
    public static ArchiveDirListing Read(string directory, CancellationToken cancellationToken = default)
    {
        var listing = new ArchiveDirListing(directory);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,          // a --file-prefix may start with '.', which .NET calls hidden
            ReturnSpecialDirectories = false,
        };
        var entries = new FileSystemEnumerable<Entry>(directory, static (ref FileSystemEntry e) => Classify(ref e), options)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry e) => !e.IsDirectory,
        };
        var n = 0;
        foreach (var entry in entries)
        {
            if ((++n & 0xfff) == 0) cancellationToken.ThrowIfCancellationRequested();
            listing.Add(entry);
        }
        return listing;
    }

    private void Add(in Entry entry)
    {
        switch (entry.Tag)
        {
            case EntryTag.Duplicity:
                // Manifests and full signatures are kept (one each per set): bounded, so that a folder of made-up
                // names cannot grow the check past its memory bound.
                if (Manifests.Count + FullSignatures.Count >= ReadLimits.ArchiveDirManifests)
                    throw new CheckException($"archive dir {Directory} holds more than {ReadLimits.ArchiveDirManifests} manifests and full signatures, the read limit");
                DuplicityFiles++;
                if (entry.Name.Partial) PartialFiles++;
                if (entry.Name.Kind == ArchiveFileKind.Manifest) Manifests.Add(new ManifestFile(entry.Name, entry.FileName!, entry.Defect));
                else if (entry.Name is { Kind: ArchiveFileKind.Signature, IsFull: true, Partial: false }) FullSignatures.Add(entry.Name.Time);
                break;
            case EntryTag.LockFile:
                HasLockFile = true;
                break;
            case EntryTag.LegacyLockFile:
                HasLegacyLockFile = true;
                break;
            default:
                OtherFiles++;
                break;
        }
    }

    private static Entry Classify(ref FileSystemEntry e)
    {
        var name = e.FileName;
        if (ArchiveFileNameParser.TryParse(name, out var parsed))
        {
            if (parsed.Kind != ArchiveFileKind.Manifest) return new Entry(EntryTag.Duplicity, parsed, null);
            // duplicity writes a manifest as a file of its own and renames it into place: a link (maybe a loop) or an
            // empty file is not one it finished. Only manifests pay for the stat this costs.
            var defect = (e.Attributes & FileAttributes.ReparsePoint) != 0 ? "is a symbolic link" : e.Length == 0 ? "is empty" : null;
            return new Entry(EntryTag.Duplicity, parsed, name.ToString(), defect);
        }
        if (name.SequenceEqual(LockFileName)) return new Entry(EntryTag.LockFile, default, null);
        if (name.SequenceEqual(LegacyLockFileName)) return new Entry(EntryTag.LegacyLockFile, default, null);
        return new Entry(EntryTag.Other, default, null);
    }

    private enum EntryTag : byte
    {
        Other,
        Duplicity,
        LockFile,
        LegacyLockFile,
    }

    private readonly record struct Entry(EntryTag Tag, ArchiveFileName Name, string? FileName, string? Defect = null);
}
