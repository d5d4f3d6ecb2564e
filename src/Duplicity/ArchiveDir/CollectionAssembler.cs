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
            else if (manifest.Defect is not null) files.Defective ??= manifest;
            else files.Final ??= manifest;
        }

        var warnings = new List<string>();
        foreach (var s in sets.Values.Where(s => s.Final is null && s.Defective is not null))
            warnings.Add($"manifest {s.Defective!.FileName} in {listing.Directory} {s.Defective.Defect}: its set is not counted as complete");
        var complete = sets.Values.Where(s => s.Final is not null).Select(s => ToSet(s.Name, s.Final!, complete: true)).ToList();
        var incomplete = sets.Values.Where(s => s.Final is null).Select(s => ToSet(s.Name, s.Part ?? s.Defective!, complete: false)).ToList();

        // A set whose final manifest, once read, lists no volume (or cannot be read) did not finish either: it leaves
        // the chains, which are built again without it (a few rounds at most: each round removes a set).
        var counter = new VolumeCounter(listing.Directory, sets, cancellationToken);
        ChainBuildResult built;
        List<BackupChain> chains;
        while (true)
        {
            built = ChainBuilder.Build(complete);
            chains = built.Chains
                .Select(c => volumeCounting == VolumeCounting.AllChains || (volumeCounting == VolumeCounting.PrimaryChain && c.Kind == ChainKind.Primary)
                    ? c with { Sets = c.Sets.Select(counter.WithVolumes).ToList() }
                    : c)
                .ToList();
            var unfinished = counter.TakeUnfinished();
            if (unfinished.Count == 0) break;
            foreach (var (set, why) in unfinished)
            {
                complete.RemoveAll(c => c.Type == set.Type && c.StartTime == set.StartTime && c.Time == set.Time);
                incomplete.Add(set with { Complete = false });
                warnings.Add($"manifest {why}: its set is not counted as complete");
            }
        }
        incomplete = [.. incomplete.OrderBy(s => s.Time)];
        if (volumeCounting != VolumeCounting.None) incomplete = incomplete.Select(counter.WithVolumes).ToList();
        counter.TakeUnfinished();
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
            listing.HasLockFile, listing.HasLegacyLockFile, built.Superseded)
        { ManifestsRead = counter.Read };
    }

    private static BackupSet ToSet(ArchiveFileName name, ManifestFile manifest, bool complete)
        => new(name.Type, name.Time, Volumes: 0, Encrypted: manifest.Name.Encrypted ? true : null, Complete: complete, StartTime: name.StartTime);

    private sealed class SetFiles(ArchiveFileName name)
    {
        public ArchiveFileName Name { get; } = name;

        public ManifestFile? Final { get; set; }

        public ManifestFile? Part { get; set; }

        /// <summary>A final manifest that is a link or empty: the set is incomplete.</summary>
        public ManifestFile? Defective { get; set; }
    }

    /// <summary>Reads the volume count of a set's manifest (final, else .part); encrypted ones cannot be read.</summary>
    private sealed class VolumeCounter(string directory, Dictionary<(BackupSetType, DateTimeOffset?, DateTimeOffset), SetFiles> sets, CancellationToken cancellationToken)
    {
        public int Unreadable { get; private set; }

        /// <summary>The manifests opened (readable or not), in order.</summary>
        public List<string> Read { get; } = [];

        private readonly Dictionary<string, int?> _counts = [];
        private readonly List<(BackupSet, string)> _unfinished = [];

        /// <summary>Complete sets whose final manifest lists no volume or cannot be read, since the last call.</summary>
        public List<(BackupSet Set, string Why)> TakeUnfinished()
        {
            var taken = _unfinished.ToList();
            _unfinished.Clear();
            return taken;
        }

        public BackupSet WithVolumes(BackupSet set)
        {
            var files = sets[(set.Type, set.StartTime, set.Time)];
            var manifest = files.Final ?? files.Part ?? files.Defective!;
            if (manifest.Defect is not null) return set;
            if (manifest.Name.Encrypted)
            {
                Unreadable++;
                return set;
            }
            if (!_counts.TryGetValue(manifest.FileName, out var count))
            {
                Read.Add(manifest.FileName);
                _counts[manifest.FileName] = count = ManifestVolumes.Count(Path.Combine(directory, manifest.FileName), manifest.Name.Compressed, cancellationToken);
            }
            if (set.Complete && count is null or 0)
                _unfinished.Add((set, $"{manifest.FileName} in {directory} {(count is null ? "cannot be read" : "lists no volume")}"));
            else if (count is null) Unreadable++;
            return set with { Volumes = count ?? 0 };
        }
    }
}
