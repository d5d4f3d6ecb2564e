using DuplicityChecks.Duplicity.ArchiveDir.Cache;
using DuplicityChecks.Duplicity.Locks;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// The archive-dir source of the backup model (acquisition; design.md "One model, many sources", 1).
/// Which folder: <c>&lt;archiveDir&gt;/&lt;name&gt;</c> where name is <c>--name</c> or md5 of the destination URL
/// exactly as typed; when that folder does not exist but <paramref name="archiveDir"/> itself holds duplicity
/// files, the archive dir is the backup's own folder. With neither name nor URL: the archive dir itself
/// when it holds duplicity files, else every sub-folder that holds any (auto-discovery), else the archive
/// dir as one empty backup (<see cref="ArchiveDirBackup.HasDuplicityFiles"/> false, so the check can say why).
/// Offline: names only, plus the manifests <see cref="VolumeCounting"/> asks for, plus /proc/locks when a
/// <c>lockfile</c> exists. With a <see cref="ListingCache"/>, a folder unchanged since an earlier run is not listed again.
/// </summary>
public static class ArchiveDirScanner
{
    public const string PermissionHint = "permission denied (run as the backup user or with --sudo-user)";

    /// <summary>Scans and returns one entry per backup (at least one).</summary>
    /// <param name="cache">Remembers each folder's backup between runs (null: list every time).</param>
    /// <exception cref="CheckException">The archive dir or the backup's folder is missing, not a directory, or unreadable.</exception>
    public static IReadOnlyList<ArchiveDirBackup> Scan(
        string archiveDir,
        string? name = null,
        string? destinationUrl = null,
        string procRoot = "/proc",
        VolumeCounting volumes = VolumeCounting.PrimaryChain,
        CancellationToken cancellationToken = default,
        ListingCache? cache = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(archiveDir);
        var baseDir = archiveDir.Length > 1 ? Path.TrimEndingDirectorySeparator(archiveDir) : archiveDir;
        if (Probe(baseDir) is var baseState && baseState != PathState.Directory) throw Missing(baseDir, baseState);
        var scope = new Scope(procRoot, volumes, new Lazy<IReadOnlyList<ProcLockEntry>>(() => ProcLocks.Read(procRoot)), cache, cancellationToken);

        var folder = BackupName.Resolve(name, destinationUrl);
        if (folder is not null)
        {
            var candidate = Path.Combine(baseDir, folder);
            var state = Probe(candidate);
            if (state == PathState.Directory) return [ScanFolder(candidate, folder, scope)];
            if (Read(baseDir, FolderName(baseDir), scope, out _) is { } own) return [own];
            var why = string.IsNullOrEmpty(name) ? " (the name is md5 of the destination URL exactly as typed; set --name if the job uses one)" : "";
            throw new CheckException($"{Missing(candidate, state).Message}{why}");
        }

        if (Read(baseDir, FolderName(baseDir), scope, out var listing) is { } single) return [single];

        var found = new List<ArchiveDirBackup>();
        foreach (var sub in SubDirectories(baseDir))
        {
            // A name that is not UTF-8 comes back with U+FFFD in it and then names no folder: duplicity names its
            // folders by --name or an md5, so it is not a backup; skipped, not a failure of the whole discovery.
            if (FolderName(sub).Contains('\uFFFD', StringComparison.Ordinal) && Probe(sub) != PathState.Directory) continue;
            if (Read(sub, FolderName(sub), scope, out _) is { } backup) found.Add(backup);
        }
        return found.Count > 0 ? found : [Assemble(listing!, FolderName(baseDir), scope)];
    }

    /// <summary>Scans one backup's own folder (no name resolution, no auto-discovery).</summary>
    /// <exception cref="CheckException">The folder is missing, not a directory, or unreadable.</exception>
    public static ArchiveDirBackup ScanFolder(string directory, string? name = null, string procRoot = "/proc",
        VolumeCounting volumes = VolumeCounting.PrimaryChain, CancellationToken cancellationToken = default, ListingCache? cache = null)
        => ScanFolder(directory, name ?? FolderName(directory),
            new Scope(procRoot, volumes, new Lazy<IReadOnlyList<ProcLockEntry>>(() => ProcLocks.Read(procRoot)), cache, cancellationToken));

    /// <summary>What every folder of one scan shares.</summary>
    private sealed record Scope(string ProcRoot, VolumeCounting Volumes, Lazy<IReadOnlyList<ProcLockEntry>> Locks,
        ListingCache? Cache, CancellationToken Cancellation);

    private static ArchiveDirBackup ScanFolder(string directory, string name, Scope scope)
    {
        var state = Probe(directory);
        if (state != PathState.Directory) throw Missing(directory, state);
        return Read(directory, name, scope, out var listing) ?? Assemble(listing!, name, scope);
    }

    /// <summary>
    /// The folder's backup when it holds duplicity files: from the cache when nothing changed, else listed, assembled
    /// and cached. Null (with the <paramref name="listing"/>) when it holds none.
    /// </summary>
    private static ArchiveDirBackup? Read(string directory, string name, Scope scope, out ArchiveDirListing? listing)
    {
        listing = null;
        var stamp = scope.Cache is null ? null : FileStamp.Of(directory);
        if (stamp is { } before && scope.Cache!.TryLoad(directory, before, name, scope.Volumes) is { } cached)
        {
            // Only folders with duplicity files are cached. The lock holder is never cached: read it now.
            return cached.LockFilePresent
                ? cached with { Collection = cached.Collection with { Lock = ArchiveLock.Holder(directory, scope.ProcRoot, scope.Locks.Value) } }
                : cached;
        }
        listing = List(directory, scope.Cancellation);
        if (!listing.HasDuplicityFiles) return null;
        var backup = Assemble(listing, name, scope);
        if (stamp is { } listedAfter) scope.Cache!.Store(directory, listedAfter, backup, scope.Volumes);
        return backup;
    }

    private static ArchiveDirBackup Assemble(ArchiveDirListing listing, string name, Scope scope)
    {
        var holder = listing.HasLockFile ? ArchiveLock.Holder(listing.Directory, scope.ProcRoot, scope.Locks.Value) : null;
        return CollectionAssembler.Assemble(listing, name, scope.Volumes, holder, scope.Cancellation);
    }

    private static ArchiveDirListing List(string directory, CancellationToken cancellationToken)
    {
        try
        {
            return ArchiveDirListing.Read(directory, cancellationToken);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CheckException($"archive dir {directory}: {PermissionHint}", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CheckException($"archive dir {directory} does not exist", e);
        }
        catch (IOException e)
        {
            throw new CheckException($"archive dir {directory} cannot be read: {e.Message}", e);
        }
    }

    private static IEnumerable<string> SubDirectories(string directory)
    {
        try
        {
            return Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).ToList();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CheckException($"archive dir {directory}: {PermissionHint}", e);
        }
    }

    private static string FolderName(string directory)
        => Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)) is { Length: > 0 } n ? n : directory;

    private enum PathState
    {
        Missing,
        Directory,
        NotDirectory,
    }

    // One stat. ENOENT/ENOTDIR read as missing; EACCES (an untraversable parent, such as /root for the
    // nagios user) surfaces as UnauthorizedAccessException and must not read as "does not exist".
    private static PathState Probe(string path)
    {
        try
        {
            return (File.GetAttributes(path) & FileAttributes.Directory) != 0 ? PathState.Directory : PathState.NotDirectory;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return PathState.Missing;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CheckException($"archive dir {path}: {PermissionHint}", e);
        }
    }

    private static CheckException Missing(string path, PathState state) => state == PathState.NotDirectory
        ? new CheckException($"archive dir {path} is not a directory")
        : new CheckException($"archive dir {path} does not exist");
}
