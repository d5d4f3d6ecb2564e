using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// Turns one folder's listing into a <see cref="BackupCollection"/> (duplicity-formats.md §5.6). A set is
/// complete when its final manifest exists: the cache's manifest is renamed from <c>.part</c> only after the
/// volumes and signatures were uploaded. A set with only a <c>.part</c> manifest (running or killed backup)
/// is incomplete: counted in <see cref="BackupCollection.IncompleteSets"/>, listed in
/// <see cref="BackupCollection.IncompleteSetList"/>, and kept out of the chains, so chains, set and volume
/// counts and the last backup time are those of complete backups only (duplicity itself, on the backup host,
/// shows the partial set as if complete).
/// </summary>
public static class CollectionAssembler
{
    public static ArchiveDirBackup Assemble(
        ArchiveDirListing listing,
        string name,
        VolumeCounting volumeCounting,
        LockHolder? holder,
        CancellationToken cancellationToken = default)
    {
        var sets = new Dictionary<(BackupSetType, DateTimeOffset?, DateTimeOffset), SetFiles>();
        foreach (var manifest in listing.Manifests)
        {
            var key = manifest.Name.SetKey;
            if (!sets.TryGetValue(key, out var files)) sets[key] = files = new SetFiles(manifest.Name);
            if (manifest.Name.Partial) files.Part ??= manifest;
            else files.Final ??= manifest;
        }

        var complete = sets.Values.Where(s => s.Final is not null).Select(s => ToSet(s.Name, s.Final!, complete: true)).ToList();
        var incomplete = sets.Values.Where(s => s.Final is null).Select(s => ToSet(s.Name, s.Part!, complete: false)).OrderBy(s => s.Time).ToList();
        var built = ChainBuilder.Build(complete);

        var warnings = new List<string>();
        var counter = new VolumeCounter(listing.Directory, sets, cancellationToken);
        var chains = built.Chains
            .Select(c => volumeCounting == VolumeCounting.AllChains || (volumeCounting == VolumeCounting.PrimaryChain && c.Kind == ChainKind.Primary)
                ? c with { Sets = c.Sets.Select(counter.WithVolumes).ToList() }
                : c)
            .ToList();
        if (volumeCounting != VolumeCounting.None) incomplete = incomplete.Select(counter.WithVolumes).ToList();
        if (counter.Unreadable > 0)
            warnings.Add($"{counter.Unreadable} manifest(s) in {listing.Directory} could not be read: their volume counts show as 0");

        if (!listing.HasDuplicityFiles)
            warnings.Add($"archive dir {listing.Directory} holds no duplicity files (no backup was made with this archive dir and name, or it is the wrong folder)");
        if (listing.HasLegacyLockFile)
            warnings.Add($"{Path.Combine(listing.Directory, ArchiveDirListing.LegacyLockFileName)} exists (duplicity 0.7.0-0.7.12 lock): a backup may be running, or a crashed run left it behind and it blocks the next run");
        if (chains.LastOrDefault() is { } newest && !listing.FullSignatures.Contains(newest.Start))
            warnings.Add($"the newest chain (full of {DuplicityTime.Format(newest.Start)}) has no duplicity-full-signatures file in {listing.Directory}");

        var collection = new BackupCollection
        {
            Name = name,
            Source = BackupSourceKind.ArchiveDir,
            SourceDescription = listing.Directory,
            Chains = chains,
            IncompleteSets = incomplete.Count,
            IncompleteSetList = incomplete,
            OrphanedSets = built.Orphaned.Count,
            Warnings = warnings,
            Lock = holder,
        };
        return new ArchiveDirBackup(collection, listing.Directory, listing.DuplicityFiles, listing.PartialFiles,
            listing.HasLockFile, listing.HasLegacyLockFile, built.Superseded) { ManifestsRead = counter.Read };
    }

    private static BackupSet ToSet(ArchiveFileName name, ManifestFile manifest, bool complete)
        => new(name.Type, name.Time, Volumes: 0, Encrypted: manifest.Name.Encrypted ? true : null, Complete: complete, StartTime: name.StartTime);

    private sealed class SetFiles(ArchiveFileName name)
    {
        public ArchiveFileName Name { get; } = name;

        public ManifestFile? Final { get; set; }

        public ManifestFile? Part { get; set; }
    }

    /// <summary>Reads the volume count of a set's manifest (final, else .part); encrypted ones cannot be read.</summary>
    private sealed class VolumeCounter(string directory, Dictionary<(BackupSetType, DateTimeOffset?, DateTimeOffset), SetFiles> sets, CancellationToken cancellationToken)
    {
        public int Unreadable { get; private set; }

        /// <summary>The manifests opened (readable or not), in order.</summary>
        public List<string> Read { get; } = [];

        public BackupSet WithVolumes(BackupSet set)
        {
            var files = sets[(set.Type, set.StartTime, set.Time)];
            var manifest = files.Final ?? files.Part!;
            if (manifest.Name.Encrypted)
            {
                Unreadable++;
                return set;
            }
            Read.Add(manifest.FileName);
            var count = ManifestVolumes.Count(Path.Combine(directory, manifest.FileName), manifest.Name.Compressed, cancellationToken);
            if (count is null) Unreadable++;
            return set with { Volumes = count ?? 0 };
        }
    }
}
