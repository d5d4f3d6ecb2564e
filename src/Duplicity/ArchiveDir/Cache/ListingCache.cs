using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir.Cache;

/// <summary>
/// Remembers an archive-dir folder's assembled backup between runs, keyed by the folder's stamp (device, inode,
/// mtime and ctime to the nanosecond) and the stamps of the manifests read for volume counts. A folder of
/// 100,000 files costs 150-270 ms to list on the test machine (the file system's readdir alone ~70 ms), and it
/// changes once per backup while the check runs every few minutes; a cache hit costs one stat per stamped file
/// and one read.
/// </summary>
/// <remarks>
/// Truth: an entry is used only when every stamp is unchanged. An entry is written only when the folder did not
/// change while it was listed and every stamp is at least <see cref="DefaultSettle"/> old by the real clock (not
/// <c>--now</c>): file times have a granularity (a jiffy, or seconds on some file systems), so a change right
/// after a fresh stamp could keep it; a change after a settled stamp always gets a later time. The lock holder is
/// never cached (read from /proc/locks on every run). Anything unreadable, corrupt, from another build of the check,
/// or for other options is a miss, never an error: the cache only ever saves time.
/// Files: <c>DIR/archive-&lt;16 hex of SHA-256 of the folder path&gt;.listing</c>, written to a temporary file with an
/// unpredictable name and renamed over the old one (mode 0600), through <see cref="StateDirectory"/>: opened relative
/// to the directory without following links, at most <see cref="ListingCacheFormat.MaxLength"/> bytes read, and
/// written only into a directory that the check's user owns (root on the monitoring user's directory only reads).
/// </remarks>
public sealed class ListingCache
{
    /// <summary>How old every stamp must be before an entry is written (also covers clocks a little apart, as on NFS).</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(10);

    private readonly Func<DateTimeOffset> _clock;
    private readonly TimeSpan _settle;
    private readonly DiagnosticLog _log;
    private string? _producer;

    /// <param name="directory">Where the cache files live (the checks' state directory).</param>
    /// <param name="log">Diagnostics: hits, misses and why.</param>
    /// <param name="clock">The real clock (a seam for tests; never the check's <c>--now</c>).</param>
    /// <param name="settle">See <see cref="DefaultSettle"/>.</param>
    public ListingCache(string directory, DiagnosticLog? log = null, Func<DateTimeOffset>? clock = null, TimeSpan? settle = null)
    {
        Directory = directory;
        _log = log ?? DiagnosticLog.None;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _settle = settle ?? DefaultSettle;
    }

    public string Directory { get; }

    /// <summary>The cache file for <paramref name="folder"/>.</summary>
    public string PathFor(string folder)
        => Path.Combine(Directory, $"archive-{Hashes.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(folder))[..16]}.listing");

    /// <summary>
    /// The cached backup of <paramref name="folder"/> when it is still valid for <paramref name="stamp"/> (taken just
    /// before) and <paramref name="volumes"/>; otherwise null. The result has no lock holder.
    /// </summary>
    public ArchiveDirBackup? TryLoad(string folder, FileStamp stamp, string name, VolumeCounting volumes)
    {
        var path = PathFor(folder);
        byte[]? bytes;
        try
        {
            using var directory = StateDirectory.Open(Directory, create: false);
            if (directory is null) return Miss(folder, $"{Directory} does not exist");
            bytes = directory.Read(Path.GetFileName(path), ListingCacheFormat.MaxLength, ListingCacheFormat.MaxLengthText);
        }
        catch (Exception e) when (e is CheckException or UnusableStateFileException)
        {
            return Miss(folder, $"{path} {e.Message}");
        }
        if (bytes is null) return Miss(folder, "not cached yet");

        if (ListingCacheFormat.Read(bytes, name, out var reason) is not { } entry) return Miss(folder, $"{path}: {reason}");
        if (Producer is null || entry.Producer != Producer) return Miss(folder, "written by another build of the check");
        if (entry.Directory != folder || entry.Volumes != volumes) return Miss(folder, "written for other options");
        if (entry.Folder != stamp) return Miss(folder, "the folder changed");
        foreach (var (fileName, manifestStamp) in entry.Manifests)
            if (FileStamp.Of(Path.Combine(folder, fileName)) != manifestStamp) return Miss(folder, $"{fileName} changed");
        _log.Debug("archive dir {Folder:l}: listing from the cache {Path:l}", folder, path);
        return entry.Backup;
    }

    /// <summary>
    /// Writes <paramref name="backup"/> (listed after <paramref name="stamp"/> was taken) when every stamp is settled;
    /// never throws for the file system's sake.
    /// </summary>
    public void Store(string folder, FileStamp stamp, ArchiveDirBackup backup, VolumeCounting volumes)
    {
        var now = _clock();
        if (Producer is not { } producer) return;
        if (FileStamp.Of(folder) != stamp || !stamp.SettledBefore(now, _settle))
        {
            _log.Debug("archive dir {Folder:l}: not cached (changed within the last {Settle} s)", folder, _settle.TotalSeconds);
            return;
        }
        var manifests = new List<(string, FileStamp)>(backup.ManifestsRead.Count);
        foreach (var fileName in backup.ManifestsRead)
        {
            if (FileStamp.Of(Path.Combine(folder, fileName)) is not { } s || !s.SettledBefore(now, _settle))
            {
                _log.Debug("archive dir {Folder:l}: not cached ({File:l} is new or unreadable)", folder, fileName);
                return;
            }
            manifests.Add((fileName, s));
        }
        var withoutLock = backup with { Collection = backup.Collection with { Lock = null } };
        var bytes = ListingCacheFormat.Write(new ListingCacheEntry(producer, folder, volumes, stamp, manifests, withoutLock));
        var path = PathFor(folder);
        try
        {
            using var directory = StateDirectory.Open(Directory, create: false);
            if (directory is null)
            {
                _log.Debug("archive dir {Folder:l}: listing not cached: {Directory:l} does not exist", folder, Directory);
                return;
            }
            if (directory.ReadOnlyReason is { } readOnly)
            {
                _log.Debug("archive dir {Folder:l}: listing not cached: {Reason:l}", folder, readOnly);
                return;
            }
            var name = Path.GetFileName(path);
            directory.RemoveTemporaries(name);
            directory.Write(name, bytes, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            _log.Debug("archive dir {Folder:l}: listing cached in {Path:l} ({Bytes} bytes)", folder, path, bytes.Length);
        }
        catch (Exception e) when (e is CheckException or IOException)
        {
            _log.Debug("archive dir {Folder:l}: listing not cached: {Reason:l}", folder, e.Message);
        }
    }

    private ArchiveDirBackup? Miss(string folder, string why)
    {
        _log.Debug("archive dir {Folder:l}: listing cache miss ({Why:l})", folder, why);
        return null;
    }

    // Which build wrote an entry: the running executable's own stamp. An upgrade or rebuild (the assembler's rules may
    // have changed) invalidates every entry. Without /proc there is no cache at all.
    private string? Producer => _producer ??= FileStamp.Of("/proc/self/exe") is { } s
        ? $"{s.DeviceMajor}:{s.DeviceMinor}:{s.Inode}:{s.Size}:{s.ModifiedSeconds}.{s.ModifiedNanoseconds}"
        : null;
}
