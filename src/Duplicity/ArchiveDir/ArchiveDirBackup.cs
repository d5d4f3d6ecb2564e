using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// One backup found in an archive dir: the model, plus what only the cache can tell. Its
/// <see cref="BackupCollection.Warnings"/> also carry the texts for <see cref="HasDuplicityFiles"/> = false and
/// <see cref="LegacyLockFilePresent"/>, so a check that only renders warnings still explains them.
/// </summary>
public sealed record ArchiveDirBackup(
    BackupCollection Collection,
    string Directory,
    int DuplicityFiles,
    int PartialFiles,
    bool LockFilePresent,
    bool LegacyLockFilePresent,
    IReadOnlyList<BackupSet> SupersededSets)
{
    /// <summary>False: the folder exists but holds no duplicity file at all (wrong folder or name, or never backed up).</summary>
    public bool HasDuplicityFiles => DuplicityFiles > 0;

    /// <summary>A <c>lockfile</c> is there but nobody holds it: left by a crashed 0.8+ run, harmless.</summary>
    public bool StaleLockFile => LockFilePresent && Collection.Lock is null;

    /// <summary>The manifests opened for their volume counts (file names in <see cref="Directory"/>): what the
    /// listing cache must also find unchanged, since rewriting a file does not change its folder.</summary>
    public IReadOnlyList<string> ManifestsRead { get; init; } = [];
}

/// <summary>Which manifests are opened to count volumes (names alone cost nothing; each manifest is a read).</summary>
public enum VolumeCounting
{
    /// <summary>Read no manifest: every set reports 0 volumes.</summary>
    None,

    /// <summary>The primary chain's manifests and the incomplete sets' <c>.part</c> manifests (default):
    /// bounded by one chain, whatever the age of the cache. Secondary chains report 0 volumes.</summary>
    PrimaryChain,

    /// <summary>Every manifest in the folder.</summary>
    AllChains,
}
